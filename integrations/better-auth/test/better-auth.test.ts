import { betterAuth } from 'better-auth';
import { createAuthMiddleware } from 'better-auth/api';
import { getMigrations } from 'better-auth/db/migration';
import { magicLink } from 'better-auth/plugins/magic-link';
import { attach, type JourneyStepEvent } from '@parapet/core';
import { subscribe } from '@parapet/core/integration';
import { parseExposition } from '@parapet/vitest-preset/exposition';
import client from 'prom-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parapetBetterAuth, type ParapetBetterAuthOptions } from '../src/index.js';

const BASE = 'http://localhost:3000';

// node:sqlite (Node >= 22.5) is the embedded database; @types/node 20 does not declare it.
interface SqliteDatabase { close(): void }
const { DatabaseSync } = (await import('node:sqlite' as string)) as { DatabaseSync: new (path: string) => SqliteDatabase };
let hostAfterHookRuns = 0;
const links: string[] = [];

/** A real better-auth instance on an embedded (node:sqlite, in-memory) database, migrated. */
async function makeAuth(parapet: ParapetBetterAuthOptions = {}) {
  const db = new DatabaseSync(':memory:');
  const options = {
    baseURL: BASE,
    secret: 'parapet-test-secret-that-is-long-enough-0123456789',
    database: db as never,
    emailAndPassword: { enabled: true },
    socialProviders: { github: { clientId: 'test', clientSecret: 'test' } },
    rateLimit: { enabled: false },
    logger: { disabled: true },
    hooks: { after: createAuthMiddleware(async () => void hostAfterHookRuns++) },
    plugins: [parapetBetterAuth(parapet), magicLink({ sendMagicLink: async ({ url }) => void links.push(url) })],
  };
  const { runMigrations } = await getMigrations(options);
  await runMigrations();
  return { auth: betterAuth(options), db };
}

type Auth = Awaited<ReturnType<typeof makeAuth>>['auth'];
let auth: Auth;
let db: SqliteDatabase;
const steps: JourneyStepEvent[] = [];
let stop: () => void;

beforeAll(async () => {
  ({ auth, db } = await makeAuth());
  stop = subscribe('journey.step', (e) => void steps.push(e));
});
afterAll(() => {
  stop();
  db.close();
});
beforeEach(() => void (steps.length = 0));

const post = (path: string, body: unknown) =>
  auth.handler(new Request(`${BASE}/api/auth${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', origin: BASE } }));
const summary = () => steps.map((s) => [s.journey, s.step, s.outcome, s.reason]);

describe('parapetBetterAuth() on a real better-auth instance', () => {
  it('a sign-up is a signup success with method email, the user id in refs only', async () => {
    const res = await post('/sign-up/email', { email: 'ada@example.test', password: 'correct-horse-1', name: 'Ada' });
    expect(res.status).toBe(200);
    const { user } = (await res.json()) as { user: { id: string } };
    expect(summary()).toEqual([['signup', 'email', 'success', undefined]]);
    expect(steps[0]!.refs).toEqual({ user_id: user.id });
  });

  it('signing up twice is a signup failure with the better-auth error code as reason', async () => {
    const res = await post('/sign-up/email', { email: 'ada@example.test', password: 'correct-horse-1', name: 'Ada' });
    expect(res.status).toBe(422);
    expect(summary()).toEqual([['signup', 'email', 'failure', 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL']]);
  });

  it('a sign-in that creates a session is a login success; a wrong password a login failure', async () => {
    expect((await post('/sign-in/email', { email: 'ada@example.test', password: 'correct-horse-1' })).status).toBe(200);
    expect((await post('/sign-in/email', { email: 'ada@example.test', password: 'wrong-password' })).status).toBe(401);
    expect(summary()).toEqual([
      ['login', 'email', 'success', undefined],
      ['login', 'email', 'failure', 'INVALID_EMAIL_OR_PASSWORD'],
    ]);
  });

  it('also sees direct auth.api calls, which throw the APIError to the caller', async () => {
    await auth.api.signInEmail({ body: { email: 'ada@example.test', password: 'correct-horse-1' } });
    await expect(auth.api.signInEmail({ body: { email: 'nobody@example.test', password: 'whatever-123' } })).rejects.toMatchObject({ name: 'APIError' });
    expect(summary()).toEqual([
      ['login', 'email', 'success', undefined],
      ['login', 'email', 'failure', 'INVALID_EMAIL_OR_PASSWORD'],
    ]);
  });

  it('starting an OAuth sign-in is neutral; a callback that redirects with an error is a login failure for that provider', async () => {
    const start = await post('/sign-in/social', { provider: 'github', callbackURL: '/' });
    expect(start.status).toBe(200);
    expect(steps).toEqual([]);
    const callback = await auth.handler(new Request(`${BASE}/api/auth/callback/github?code=abc&state=forged`));
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toMatch(/error=/);
    expect(summary()).toEqual([['login', 'oauth_github', 'failure', expect.any(String)]]);
  });

  it('a magic link for a new address is a signup (user created outside /sign-up) and a login; a bad token a login failure', async () => {
    expect((await post('/sign-in/magic-link', { email: 'new@example.test', callbackURL: '/app' })).status).toBe(200);
    expect(steps).toEqual([]); // sending the link is neither success nor failure
    const link = links.pop()!;
    const verified = await auth.handler(new Request(link));
    expect(verified.status).toBe(302);
    const bad = await auth.handler(new Request(link.replace(/token=[^&]+/, 'token=forged')));
    expect(bad.status).toBe(302);
    expect(summary()).toEqual([
      ['signup', 'magic_link', 'success', undefined],
      ['login', 'magic_link', 'success', undefined],
      ['login', 'magic_link', 'failure', expect.stringMatching(/^[a-z_]+$/)],
    ]);
  });

  it('runs alongside the host\'s own hooks.after', async () => {
    const before = hostAfterHookRuns;
    await post('/sign-in/email', { email: 'ada@example.test', password: 'correct-horse-1' });
    expect(hostAfterHookRuns).toBeGreaterThan(before);
    expect(steps).toHaveLength(1);
  });

  it('other endpoints publish nothing', async () => {
    const signIn = await post('/sign-in/email', { email: 'ada@example.test', password: 'correct-horse-1' });
    steps.length = 0;
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const session = await auth.handler(new Request(`${BASE}/api/auth/get-session`, { headers: { cookie } }));
    expect(session.status).toBe(200);
    expect(steps).toEqual([]);
  });
});

describe('options', () => {
  it('ignoreErrorCodes leaves chosen user errors out of the journey', async () => {
    const { auth: quiet, db: quietDb } = await makeAuth({ ignoreErrorCodes: ['INVALID_EMAIL_OR_PASSWORD'] });
    try {
      await expect(quiet.api.signInEmail({ body: { email: 'x@example.test', password: 'nope-nope-1' } })).rejects.toThrow();
      expect(steps).toEqual([]);
    } finally {
      quietDb.close();
    }
  });

  it('rejects unknown options with a did-you-mean', () => {
    expect(() => parapetBetterAuth({ loginJourny: 'x' } as never)).toThrow(/did you mean "loginJourney"/);
  });
});

describe('through attach()', () => {
  it('records bounded series: journey, method, outcome; never an address or user id', async () => {
    const registry = new client.Registry();
    const parapet = attach({ registry });
    try {
      await post('/sign-up/email', { email: 'grace@example.test', password: 'correct-horse-2', name: 'Grace' });
      await post('/sign-in/email', { email: 'grace@example.test', password: 'bad-password' });
      const text = await registry.metrics();
      const samples = parseExposition(text).filter((s) => s.name === 'parapet_journey_steps_total');
      expect(samples).toContainEqual({ name: 'parapet_journey_steps_total', labels: { journey: 'signup', step: 'email', outcome: 'success' }, value: 1 });
      expect(samples).toContainEqual({ name: 'parapet_journey_steps_total', labels: { journey: 'login', step: 'email', outcome: 'failure' }, value: 1 });
      expect(text).not.toMatch(/grace@|user_id/);
    } finally {
      await parapet.close();
    }
  });
});
