import { describe, expect, it } from 'vitest';
import { KNOWN_OAUTH_PROVIDERS, classifyPath, classifyResult } from './classify.js';

const oauth = new Set<string>(KNOWN_OAUTH_PROVIDERS);
const redirect = (location: string) => ({ name: 'APIError', statusCode: 302, status: 'FOUND', headers: new Headers({ location }) });

describe('classifyPath()', () => {
  it.each([
    ['/sign-in/email', 'login', 'email'],
    ['/sign-up/email', 'signup', 'email'],
    ['/callback/google', 'login', 'oauth_google'],
    ['/callback/my-idp', 'login', 'oauth_other'],
    ['/oauth2/callback/okta', 'login', 'oauth_other'],
    ['/magic-link/verify', 'login', 'magic_link'],
    ['/passkey/verify-authentication', 'login', 'passkey'],
    ['/two-factor/verify-totp', 'login', 'two_factor'],
  ])('%s → %s/%s', (path, journey, method) => {
    expect(classifyPath(path, oauth)).toMatchObject({ journey, method });
  });
  it('ignores other endpoints', () => {
    expect(classifyPath('/get-session', oauth)).toBeUndefined();
    expect(classifyPath(undefined, oauth)).toBeUndefined();
  });
});

describe('classifyResult()', () => {
  const login = { journey: 'login' as const, redirects: false };
  it('success needs a new session', () => {
    expect(classifyResult({ ...login, newSession: { user: {} }, returned: {} })).toEqual({ outcome: 'success' });
    expect(classifyResult({ ...login, newSession: null, returned: { twoFactorRedirect: true } })).toEqual({ outcome: 'neutral' });
  });
  it('an APIError >= 400 is a failure with its code, a non-code reason becomes the status', () => {
    expect(classifyResult({ ...login, newSession: null, returned: { name: 'APIError', statusCode: 401, body: { code: 'INVALID_EMAIL_OR_PASSWORD' } } })).toEqual({ outcome: 'failure', reason: 'INVALID_EMAIL_OR_PASSWORD' });
    expect(classifyResult({ ...login, newSession: null, returned: { name: 'APIError', statusCode: 500, body: { code: 'some user@input' } } })).toEqual({ outcome: 'failure', reason: 'status_500' });
  });
  it('redirects: an ?error= is a failure anywhere; a bare redirect without session only from callbacks', () => {
    expect(classifyResult({ ...login, newSession: null, returned: redirect('/login?error=access_denied') })).toEqual({ outcome: 'failure', reason: 'access_denied' });
    expect(classifyResult({ ...login, newSession: null, returned: redirect('https://github.com/login/oauth') })).toEqual({ outcome: 'neutral' });
    expect(classifyResult({ journey: 'login', redirects: true, newSession: null, returned: redirect('/dashboard') })).toEqual({ outcome: 'failure', reason: 'no_session' });
    expect(classifyResult({ journey: 'login', redirects: true, newSession: { user: {} }, returned: redirect('/dashboard') })).toEqual({ outcome: 'success' });
  });
  it('a sign-up that returned a user succeeded even without auto sign-in', () => {
    expect(classifyResult({ journey: 'signup', redirects: false, newSession: null, returned: { token: null, user: { id: 'u' } } })).toEqual({ outcome: 'success' });
  });
});
