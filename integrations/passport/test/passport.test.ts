import express from 'express';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { attach } from '@parapet/core';
import { parseExposition } from '@parapet/vitest-preset/exposition';
import client from 'prom-client';
import { beforeEach, describe, expect, it } from 'vitest';
import { parapetPassport } from '../src/index.js';
import { serveForFile } from './harness.js';

const users = [{ id: 'u1', username: 'ada', password: 'correct-horse' }];
/** The host's verify callback: a user store lookup that can also fail like a database would. */
function verify(username: string, password: string, done: (err: any, user?: Express.User | false, options?: { message: string }) => void) { // eslint-disable-line @typescript-eslint/no-explicit-any
  if (username === 'db-down') return done(new Error('connection refused'));
  const user = users.find((u) => u.username === username);
  if (!user || user.password !== password) return done(null, false, { message: 'Incorrect username or password.' });
  return done(null, { id: user.id, username: user.username } as Express.User);
}

const served = serveForFile(() => {
  const passport = new Passport();
  passport.use(new LocalStrategy(verify));
  const wrappedPassport = new Passport();
  const parapet = parapetPassport(passport);
  wrappedPassport.use(new LocalStrategy(parapetPassport(wrappedPassport).wrapVerify(verify)));

  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.use(passport.initialize());
  app.post('/login', parapet.authenticate('local', { session: false }), (req, res) => {
    res.json({ user: (req as unknown as { user: unknown }).user });
  });
  app.post('/login-redirect', parapet.authenticate('local', { session: false, successRedirect: '/home', failureRedirect: '/login' }));
  app.post('/login-fail-with-error', parapet.authenticate('local', { session: false, failWithError: true }), (_req, res) => void res.json({ ok: true }));
  app.post('/login-callback', (req, res, next) => {
    parapet.authenticate('local', { session: false }, (err: unknown, user: unknown) => {
      if (err) return next(err);
      res.status(user ? 200 : 403).json({ user: user || null });
    })(req, res, next);
  });
  app.post('/login-wrapped-verify', wrappedPassport.authenticate('local', { session: false }), (_req, res) => void res.json({ ok: true }));
  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = (err as { status?: number }).status ?? 500;
    res.status(status).json({ error: String((err as Error).message) });
  });
  return app;
});
const steps = served.steps;
beforeEach(() => void (steps.length = 0));

const login = (path: string, form: Record<string, string>) =>
  fetch(`${served.base}${path}`, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
const summary = () => steps.map((s) => [s.journey, s.step, s.outcome, s.reason]);
async function outcomes(count: number) {
  await served.waitForSteps(count);
  return summary();
}

describe('parapetPassport().authenticate() with a local strategy in a real Express app', () => {
  it('a valid login is a success, with the user id in refs', async () => {
    const res = await login('/login', { username: 'ada', password: 'correct-horse' });
    expect(res.status).toBe(200);
    expect(await outcomes(1)).toEqual([['login', 'local', 'success', undefined]]);
    expect(steps[0]!.refs).toEqual({ user_id: 'u1' });
    expect(steps[0]!.durationSeconds).toBeGreaterThanOrEqual(0);
  });

  it('a wrong password (Passport answers 401) and missing credentials (400) are failures', async () => {
    expect((await login('/login', { username: 'ada', password: 'nope' })).status).toBe(401);
    expect((await login('/login', { username: 'ada' })).status).toBe(400);
    expect(await outcomes(2)).toEqual([['login', 'local', 'failure', 'rejected'], ['login', 'local', 'failure', 'rejected']]);
  });

  it('a verify error (the user store is down) is a failure with reason error, and reaches the error handler', async () => {
    const res = await login('/login', { username: 'db-down', password: 'x' });
    expect(res.status).toBe(500);
    expect(await outcomes(1)).toEqual([['login', 'local', 'failure', 'error']]);
  });

  it('successRedirect and failureRedirect: both 302, told apart by whether a user was logged in', async () => {
    const ok = await login('/login-redirect', { username: 'ada', password: 'correct-horse' });
    const bad = await login('/login-redirect', { username: 'ada', password: 'nope' });
    expect([ok.status, ok.headers.get('location')]).toEqual([302, '/home']);
    expect([bad.status, bad.headers.get('location')]).toEqual([302, '/login']);
    expect(await outcomes(2)).toEqual([['login', 'local', 'success', undefined], ['login', 'local', 'failure', 'rejected']]);
  });

  it('failWithError: the AuthenticationError is a rejected login', async () => {
    expect((await login('/login-fail-with-error', { username: 'ada', password: 'nope' })).status).toBe(401);
    expect(await outcomes(1)).toEqual([['login', 'local', 'failure', 'rejected']]);
  });

  it('with a custom callback, the outcome is what Passport handed the callback', async () => {
    expect((await login('/login-callback', { username: 'ada', password: 'correct-horse' })).status).toBe(200);
    expect((await login('/login-callback', { username: 'ada', password: 'nope' })).status).toBe(403);
    expect(await outcomes(2)).toEqual([['login', 'local', 'success', undefined], ['login', 'local', 'failure', 'rejected']]);
  });
});

describe('parapetPassport().wrapVerify()', () => {
  it('reports what the verify callback decided, through plain passport.authenticate', async () => {
    expect((await login('/login-wrapped-verify', { username: 'ada', password: 'correct-horse' })).status).toBe(200);
    expect((await login('/login-wrapped-verify', { username: 'ada', password: 'nope' })).status).toBe(401);
    expect((await login('/login-wrapped-verify', { username: 'db-down', password: 'x' })).status).toBe(500);
    expect(await outcomes(3)).toEqual([['login', 'local', 'success', undefined], ['login', 'local', 'failure', 'rejected'], ['login', 'local', 'failure', 'error']]);
  });

  it('keeps the verify function\'s arity (strategies pick signatures by it)', () => {
    const p = parapetPassport(new Passport());
    expect(p.wrapVerify((_a: string, _b: string, _c: string, _d: () => void) => {}).length).toBe(4);
  });

  it('validates its options', () => {
    expect(() => parapetPassport(new Passport()).wrapVerify(verify, { metod: 'local' } as never)).toThrow(/did you mean "method"/);
    expect(() => parapetPassport(new Passport(), { journy: 'login' } as never)).toThrow(/did you mean "journey"/);
    expect(() => parapetPassport({} as never)).toThrow(/Passport instance/);
  });
});

describe('through attach()', () => {
  it('counts bounded series only', async () => {
    const registry = new client.Registry();
    const parapet = attach({ registry });
    try {
      await login('/login', { username: 'ada', password: 'correct-horse' });
      await login('/login', { username: 'ada', password: 'nope' });
      await outcomes(2);
      const text = await registry.metrics();
      const samples = parseExposition(text).filter((s) => s.name === 'parapet_journey_steps_total');
      expect(samples).toEqual([
        { name: 'parapet_journey_steps_total', labels: { journey: 'login', step: 'local', outcome: 'success' }, value: 1 },
        { name: 'parapet_journey_steps_total', labels: { journey: 'login', step: 'local', outcome: 'failure' }, value: 1 },
      ]);
      expect(text).not.toMatch(/u1|ada/);
    } finally {
      await parapet.close();
    }
  });
});
