import express from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { describe, expect, it } from 'vitest';
import { parapetPassport } from '../src/index.js';
import { serveForFile } from './harness.js';

/** The common production shape: sessions (express-session), serialize/deserialize, redirects. */
const served = serveForFile(() => {
  const passport = new Passport();
  passport.use(new LocalStrategy((username, password, done) => done(null, username === 'ada' && password === 'pw' ? ({ id: 'u1' } as Express.User) : false)));
  passport.serializeUser((user, done) => done(null, (user as { id: string }).id));
  passport.deserializeUser((id: string, done) => done(null, { id } as Express.User));
  const auth = parapetPassport(passport);
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.use(session({ secret: 'parapet-test', resave: false, saveUninitialized: false }));
  app.use(passport.session());
  app.post('/login', auth.authenticate('local', { successRedirect: '/home', failureRedirect: '/login' }));
  return app;
});

async function outcomes(count: number) {
  return (await served.waitForSteps(count)).map((s) => [s.step, s.outcome, s.reason]);
}
const login = (form: Record<string, string>, cookie?: string) =>
  fetch(`${served.base}/login`, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual', headers: cookie ? { cookie } : {} });

describe('with express-session', () => {
  it('a session login is a success; a failed login by a user who already has a session is still a failure', async () => {
    const ok = await login({ username: 'ada', password: 'pw' });
    expect(ok.headers.get('location')).toBe('/home');
    const cookie = ok.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const bad = await login({ username: 'ada', password: 'wrong' }, cookie);
    expect(bad.headers.get('location')).toBe('/login');
    expect(await outcomes(2)).toEqual([['local', 'success', undefined], ['local', 'failure', 'rejected']]);
  });
});
