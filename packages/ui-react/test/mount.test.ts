import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { type NextFunction, type Request as ExpressRequest, type Response as ExpressResponse } from 'express';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toExpressHandler } from '@parapet/express';
import { createEvidenceStore, createOperatorApiHandler, type EvidenceStoreHandle } from '@parapet/evidence-pg';
import { createWorkbenchHandler } from '../src/handler.js';

// The README's one-line mounts, behind the host's own auth middleware.
function fakeBundle(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parapet-ui-mount-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><meta charset="utf-8" /><title>Parapet incidents</title></head><body></body></html>');
  writeFileSync(join(dir, 'assets', 'a-1.js'), '1');
  return dir;
}

const ada = { id: 'u-ada', name: 'Ada', role: 'responder' as const };
let store: EvidenceStoreHandle;
beforeAll(async () => {
  store = await createEvidenceStore();
});
afterAll(async () => {
  await store.close();
});

async function expectMounted(get: (path: string, loggedIn: boolean) => Promise<Response>) {
  const page = await get('/parapet/incidents/7', true);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<base href="/parapet/"');
  expect((await get('/parapet/assets/a-1.js', true)).status).toBe(200);
  const list = await get('/parapet/api/incidents', true);
  expect(list.status).toBe(200);
  expect(await list.json()).toEqual({ items: [], nextCursor: null });
  expect((await get('/parapet/incidents/7', false)).status).toBe(401);
  expect((await get('/parapet/api/incidents', false)).status).toBe(401);
}

describe('mounting behind host auth', () => {
  const assetsDir = fakeBundle();

  it('Express 5 with toExpressHandler', async () => {
    const api = createOperatorApiHandler({ store, basePath: '/parapet', authorize: () => ada });
    const workbench = createWorkbenchHandler({ basePath: '/parapet', assetsDir });
    const requireLogin = (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => (req.headers.cookie?.includes('session=') ? next() : void res.status(401).send('sign in'));
    const app = express();
    app.all('/parapet/api/*splat', requireLogin, toExpressHandler(api));
    app.get(['/parapet', '/parapet/*splat'], requireLogin, toExpressHandler(workbench));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await expectMounted((path, loggedIn) => fetch(`${base}${path}`, { headers: loggedIn ? { cookie: 'session=1' } : {} }));
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('Hono', async () => {
    const api = createOperatorApiHandler({ store, basePath: '/parapet', authorize: () => ada });
    const workbench = createWorkbenchHandler({ basePath: '/parapet', assetsDir });
    const app = new Hono();
    const requireLogin = async (c: { req: { header(n: string): string | undefined }; text(t: string, s: 401): Response }, next: () => Promise<void>) => {
      if (!c.req.header('cookie')?.includes('session=')) return c.text('sign in', 401);
      await next();
    };
    app.all('/parapet/api/*', requireLogin as never, (c) => api(c.req.raw));
    app.get('/parapet/*', requireLogin as never, (c) => workbench(c.req.raw));
    await expectMounted((path, loggedIn) => Promise.resolve(app.fetch(new Request(`http://app.test${path}`, { headers: loggedIn ? { cookie: 'session=1' } : {} }))));
  });
});
