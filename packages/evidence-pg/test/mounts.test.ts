/**
 * The webhook and the operator API mounted as their README shows: in a real Express 5 app via
 * `toExpressHandler` (before express.json(), after it without raw bytes: refused clearly, after it
 * with raw bytes kept: used), and in a real Hono app via `c.req.raw`. A real Alertmanager payload
 * goes in, an operator acknowledges and resolves the incident it opened.
 */
import { createServer, type Server } from 'node:http';
import express from 'express';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { toExpressHandler } from '@parapet/express';
import { createAlertmanagerWebhook, createEvidenceStore, createOperatorApiHandler, type EvidenceStoreHandle } from '../src/index.js';
import { payload } from './fixtures.js';

const TOKEN = 'am-secret-token-0123456789';
const ACTORS = { ada: { id: 'u-ada', name: 'Ada', role: 'responder' as const }, vic: { id: 'u-vic', name: 'Vic', role: 'viewer' as const } };

/** A store plus the two handlers, exactly as the README builds them. */
async function parapet(): Promise<{ store: EvidenceStoreHandle; webhook: (r: Request) => Promise<Response>; api: (r: Request) => Promise<Response> }> {
  const store = await createEvidenceStore();
  const webhook = createAlertmanagerWebhook({ store, tokens: [TOKEN] });
  const api = createOperatorApiHandler({
    store,
    basePath: '/parapet',
    authorize: (request) => ACTORS[(request.headers.get('authorization') ?? '').replace(/^Bearer /, '') as keyof typeof ACTORS] ?? null,
  });
  return { store, webhook, api };
}

const opened: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const o of opened.splice(0)) await o.close();
});

async function listen(handler: (req: never, res: never) => void): Promise<string> {
  const server: Server = createServer(handler as never);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  opened.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

type Fetch = (path: string, init?: RequestInit) => Promise<Response>;

/** What every mount must do: ingest a real payload, list it, acknowledge and resolve it with audits. */
async function exercise(call: Fetch, store: EvidenceStoreHandle, fingerprint: string): Promise<void> {
  const body = JSON.stringify(payload({ groupKey: `{}:{fp="${fingerprint}"}`, alerts: [{ fingerprint, startsAt: '2026-11-30T06:00:00Z' }] }));
  const unauthorised = await call('/parapet/alertmanager', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  expect(unauthorised.status).toBe(401);

  const delivered = await call('/parapet/alertmanager', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body });
  expect(delivered.status).toBe(200);
  // A replay leaves the same state.
  expect((await call('/parapet/alertmanager', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body })).status).toBe(200);

  const list = await call('/parapet/api/incidents', { headers: { authorization: 'Bearer vic' } });
  expect(list.status).toBe(200);
  const items = ((await list.json()) as { items: { id: string; fingerprint: string; state: string }[] }).items.filter((i) => i.fingerprint === fingerprint);
  expect(items).toHaveLength(1);
  const id = items[0]!.id;
  expect(items[0]!.state).toBe('open');

  const act = (action: string, as: string, rationale: string) =>
    call(`/parapet/api/incidents/${id}/${action}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${as}` }, body: JSON.stringify({ rationale }) });
  expect((await act('acknowledge', 'vic', 'viewers cannot act')).status).toBe(403);
  const ack = await act('acknowledge', 'ada', 'looking at the checkout DB');
  expect(ack.status).toBe(200);
  expect((await act('acknowledge', 'ada', 'again')).status).toBe(409);
  expect((await act('resolve', 'ada', 'rolled back v1.4.2')).status).toBe(200);

  const detail = await call(`/parapet/api/incidents/${id}`, { headers: { authorization: 'Bearer vic' } });
  expect(detail.status).toBe(200);
  const { incident, timeline, audits } = (await detail.json()) as { incident: { state: string; acknowledgedBy: string }; timeline: { type: string }[]; audits: { action: string; outcome: string }[] };
  expect(incident.state).toBe('resolved');
  expect(timeline.map((t) => t.type)).toEqual(expect.arrayContaining(['alert_fired', 'acknowledged']));
  expect(audits.filter((a) => a.outcome === 'succeeded').map((a) => a.action)).toEqual(['acknowledge', 'resolve']);
  expect((await store.getIncident({ id }))!.incident.state).toBe('resolved');
}

describe('Express 5 mounts (toExpressHandler)', () => {
  it('before express.json(): the webhook and the operator API work end to end', async () => {
    const { store, webhook, api } = await parapet();
    opened.push(store);
    const app = express();
    app.post('/parapet/alertmanager', toExpressHandler(webhook));
    app.use('/parapet/api', toExpressHandler(api));
    app.use(express.json());
    app.post('/app/echo', (req, res) => void res.json(req.body));
    const base = await listen(app as never);
    await exercise((path, init) => fetch(base + path, init), store, 'e1e1e1e1e1e1e1e1');
    // The host's own JSON routes still get their parsed bodies.
    expect(await (await fetch(`${base}/app/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' })).json()).toEqual({ a: 1 });
  });

  it('after express.json() without raw bytes: refused with the shared error body naming the fix, nothing recorded', async () => {
    const { store, webhook, api } = await parapet();
    opened.push(store);
    const app = express();
    app.use(express.json());
    app.post('/parapet/alertmanager', toExpressHandler(webhook));
    app.use('/parapet/api', toExpressHandler(api));
    const base = await listen(app as never);
    const body = JSON.stringify(payload({ alerts: [{ fingerprint: 'e2e2e2e2e2e2e2e2', startsAt: '2026-11-30T06:00:00Z' }] }));
    const res = await fetch(`${base}/parapet/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body });
    expect(res.status).toBe(500);
    const error = ((await res.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toContain('Mount this handler before express.json()');
    expect((await store.listIncidents({ state: 'all' })).items).toEqual([]);
    // Body-less operator reads still work behind the parser.
    expect((await fetch(`${base}/parapet/api/incidents`, { headers: { authorization: 'Bearer vic' } })).status).toBe(200);
  });

  it('after express.json({ verify }) keeping the raw bytes: the exact bytes are used', async () => {
    const { store, webhook, api } = await parapet();
    opened.push(store);
    const app = express();
    app.use(express.json({ verify: (req, _res, buf) => void ((req as unknown as { rawBody: Buffer }).rawBody = buf) }));
    app.post('/parapet/alertmanager', toExpressHandler(webhook));
    app.use('/parapet/api', toExpressHandler(api));
    const base = await listen(app as never);
    await exercise((path, init) => fetch(base + path, init), store, 'e3e3e3e3e3e3e3e3');
  });
});

describe('Hono mounts (c.req.raw)', () => {
  it('the webhook and the operator API work end to end', async () => {
    const { store, webhook, api } = await parapet();
    opened.push(store);
    const app = new Hono();
    app.post('/parapet/alertmanager', (c) => webhook(c.req.raw));
    app.all('/parapet/api/*', (c) => api(c.req.raw));
    app.get('/app/hello', (c) => c.text('hi'));
    await exercise((path, init) => Promise.resolve(app.request(path, init)), store, 'h1h1h1h1h1h1h1h1');
    // Served over real HTTP too (Hono's fetch on node's server through core's bridge).
    const { toNodeHandler } = await import('@parapet/core/integration');
    const base = await listen(toNodeHandler((request: Request) => Promise.resolve(app.fetch(request))) as never);
    const res = await fetch(`${base}/parapet/api/incidents?state=all`, { headers: { authorization: 'Bearer vic' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(1);
  });
});
