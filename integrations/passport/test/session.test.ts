import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { type JourneyStepEvent } from '@parapet/core';
import { subscribe } from '@parapet/core/integration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parapetPassport } from '../src/index.js';

/** The common production shape: sessions (express-session), serialize/deserialize, redirects. */
let server: Server;
let base: string;
const steps: JourneyStepEvent[] = [];
let stop: () => void;

beforeAll(async () => {
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
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stop = subscribe('journey.step', (e) => void steps.push(e));
});
afterAll(async () => {
  stop();
  await new Promise<void>((r) => server.close(() => r()));
});

async function outcomes(count: number) {
  const deadline = Date.now() + 10_000;
  while (steps.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  return steps.map((s) => [s.step, s.outcome, s.reason]);
}
const login = (form: Record<string, string>, cookie?: string) =>
  fetch(`${base}/login`, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual', headers: cookie ? { cookie } : {} });

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
