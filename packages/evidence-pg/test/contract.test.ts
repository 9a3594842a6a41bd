import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertmanagerWebhook, createEvidenceStore, createOperatorApiHandler, openApiDocument, type Actor, type EvidenceStoreHandle } from '../src/index.js';
import { payload, responder, viewer } from './fixtures.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(openApiDocument as never, 'openapi');

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** Validates a response against the OpenAPI operation it answers; returns the parsed body. */
async function conforms(path: string, method: 'get' | 'post', response: Response): Promise<unknown> {
  const operation = (openApiDocument.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>)[path]?.[method];
  expect(operation, `${method.toUpperCase()} ${path} is not in the OpenAPI description`).toBeDefined();
  const declared = operation!.responses[String(response.status)];
  expect(declared, `${method.toUpperCase()} ${path} answered ${response.status}, which the OpenAPI description does not declare`).toBeDefined();
  if (response.status === 304) return undefined;
  const type = Object.keys(declared!.content ?? {})[0]!;
  expect(response.headers.get('content-type') ?? '').toContain(type);
  const text = await response.text();
  if (!type.includes('json')) return text;
  const body = JSON.parse(text) as unknown;
  const validate = ajv.getSchema(`openapi#/${pointer('paths', path, method, 'responses', String(response.status), 'content', type, 'schema')}`)!;
  expect(validate(body), `${method.toUpperCase()} ${path} ${response.status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  return body;
}

const TOKEN = 'am-token-0123456789abcdef';
const DEPLOY_TOKEN = 'deploy-token-0123456789abcdef';
const ORIGIN = 'https://ops.example.com';

let store: EvidenceStoreHandle;
let webhook: (r: Request) => Promise<Response>;
let api: (r: Request) => Promise<Response>;

beforeAll(async () => {
  store = await createEvidenceStore();
  webhook = createAlertmanagerWebhook({ store, tokens: ['old-token-0123456789abcdef', TOKEN], maxBodyBytes: 64 * 1024 });
  const actors: Record<string, Actor> = { ada: responder, vic: viewer };
  api = createOperatorApiHandler({
    store,
    basePath: '/parapet',
    deployTokens: [DEPLOY_TOKEN],
    authorize: (request) => actors[request.headers.get('cookie')?.replace('session=', '') ?? ''] ?? null,
  });
});
afterAll(async () => {
  await store.close();
});

const deliver = (body: unknown, headers: Record<string, string> = {}) =>
  webhook(new Request(`${ORIGIN}/parapet/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) }));

const call = (method: string, path: string, opts: { as?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
  api(
    new Request(`${ORIGIN}/parapet/api${path}`, {
      method,
      headers: { ...(opts.as && { cookie: `session=${opts.as}` }), ...(opts.body !== undefined && { 'content-type': 'application/json', origin: ORIGIN, 'sec-fetch-site': 'same-origin' }), ...opts.headers },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    }),
  );

describe('openapi.json', () => {
  it('is the shipped copy of openApiDocument', () => {
    const file = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8')) as unknown;
    expect(file).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
  });
});

describe('Alertmanager webhook contract', () => {
  it('commits and answers 200 with the per-alert outcomes', async () => {
    const res = await deliver(payload({ alerts: [{ fingerprint: '5f3b2a9c1d4e6f70', startsAt: '2026-08-20T09:14:03.512Z' }] }));
    expect(res.status).toBe(200);
    const body = (await conforms('/alertmanager', 'post', res)) as { alerts: { outcome: string }[] };
    expect(body.alerts[0]!.outcome).toBe('opened');
  });

  it('accepts any configured token and Basic auth; refuses others with 401', async () => {
    const p = payload({ alerts: [{ fingerprint: '5f3b2a9c1d4e6f70', startsAt: '2026-08-20T09:14:03.512Z' }] });
    expect((await deliver(p, { authorization: 'Bearer old-token-0123456789abcdef' })).status).toBe(200);
    const wrong = await deliver(p, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    await conforms('/alertmanager', 'post', wrong);
    expect((await deliver(p, { authorization: '' })).status).toBe(401);
    const basicHook = createAlertmanagerWebhook({ store, basic: [{ username: 'am', password: 'correct-horse-battery' }] });
    const basic = (password: string) => basicHook(new Request(`${ORIGIN}/a`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`am:${password}`).toString('base64')}` }, body: JSON.stringify(p) }));
    expect((await basic('correct-horse-battery')).status).toBe(200);
    expect((await basic('wrong-horse-battery')).status).toBe(401);
  });

  it('refuses to be created without credentials', () => {
    expect(() => createAlertmanagerWebhook({ store })).toThrow(/tokens.*basic.*allowUnauthenticated/s);
  });

  it('answers 400 naming the bad field, 413 past the body limit, 415 for non-JSON', async () => {
    const bad = await deliver({ ...payload({ alerts: [] }), version: '3' });
    expect(bad.status).toBe(400);
    expect(((await conforms('/alertmanager', 'post', bad)) as { error: { message: string } }).error.message).toContain('version');
    const noFingerprint = await deliver(JSON.stringify(payload({ alerts: [{ fingerprint: '', startsAt: '2026-08-20T09:14:03.512Z' }] })));
    expect(((await conforms('/alertmanager', 'post', noFingerprint)) as { error: { message: string } }).error.message).toContain('alerts.0.fingerprint');
    const big = payload({ alerts: Array.from({ length: 200 }, (_, i) => ({ fingerprint: `f${i}`, startsAt: '2026-08-20T09:14:03.512Z', annotations: { description: 'x'.repeat(400) } })) });
    const tooLarge = await deliver(big);
    expect(tooLarge.status).toBe(413);
    await conforms('/alertmanager', 'post', tooLarge);
    const form = await deliver('a=b', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    await conforms('/alertmanager', 'post', form);
  });

  it('works over a real socket (mounted with a Node HTTP server)', async () => {
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: webhook, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/parapet/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, 'user-agent': 'Alertmanager/0.28.1' },
        body: JSON.stringify(payload({ alerts: [{ fingerprint: 'socket0000000001', startsAt: '2026-08-20T09:14:03.512Z' }] })),
      });
      expect(res.status).toBe(200);
      await conforms('/alertmanager', 'post', res);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('operator API contract', () => {
  let id: string;
  beforeAll(async () => {
    const res = await deliver(payload({ alerts: [{ fingerprint: 'api0000000000001', startsAt: '2026-08-20T09:20:00Z' }] }));
    id = ((await res.json()) as { incidentIds: string[] }).incidentIds[0]!;
  });

  it('refuses to mount without an authorize hook', () => {
    expect(() => createOperatorApiHandler({ store } as never)).toThrow(/authorize.*required/);
  });

  it('lists the queue with an ETag that answers 304 until something changes', async () => {
    const res = await call('GET', '/incidents?limit=1', { as: 'vic' });
    expect(res.status).toBe(200);
    const page = (await conforms('/api/incidents', 'get', res)) as { items: unknown[]; nextCursor: string };
    expect(page.items).toHaveLength(1);
    const next = await call('GET', `/incidents?limit=1&cursor=${page.nextCursor}`, { as: 'vic' });
    await conforms('/api/incidents', 'get', next);
    const etag = res.headers.get('etag')!;
    const same = await call('GET', '/incidents?limit=1', { as: 'vic', headers: { 'if-none-match': etag } });
    expect(same.status).toBe(304);
    await conforms('/api/incidents', 'get', same);
    await call('POST', `/incidents/${id}/notes`, { as: 'ada', body: { rationale: 'changes the queue' } });
    expect((await call('GET', '/incidents?limit=1', { as: 'vic', headers: { 'if-none-match': etag } })).status).toBe(200);
    const invalid = await call('GET', '/incidents?state=everything', { as: 'vic' });
    expect(invalid.status).toBe(400);
    await conforms('/api/incidents', 'get', invalid);
    const badCursor = await call('GET', '/incidents?cursor=abc', { as: 'vic' });
    expect(badCursor.status).toBe(400);
  });

  it('401 without an actor, 403 when a viewer acts', async () => {
    const anonymous = await call('GET', '/incidents');
    expect(anonymous.status).toBe(401);
    await conforms('/api/incidents', 'get', anonymous);
    const viewerActs = await call('POST', `/incidents/${id}/acknowledge`, { as: 'vic', body: { rationale: 'x' } });
    expect(viewerActs.status).toBe(403);
    await conforms('/api/incidents/{id}/acknowledge', 'post', viewerActs);
  });

  it('runs every action route, with 409 on invalid transitions, and the detail and retrospective routes', async () => {
    const steps: [string, Record<string, unknown>, number][] = [
      ['acknowledge', { rationale: 'on it' }, 200],
      ['acknowledge', { rationale: 'again' }, 409],
      ['investigate', { rationale: 'digging' }, 200],
      ['assign', { rationale: 'handing over', assignee: 'u-bob' }, 200],
      ['notes', { rationale: 'the DB is slow' }, 200],
      ['escalate', { rationale: 'need the DB team' }, 200],
      ['suppress-escalation', { rationale: 'known', until: '2099-01-01T00:00:00Z' }, 200],
      ['reopen', { rationale: 'not resolved' }, 409],
      ['resolve', { rationale: 'fixed' }, 200],
      ['reopen', { rationale: 'came back' }, 200],
    ];
    for (const [action, body, status] of steps) {
      const res = await call('POST', `/incidents/${id}/${action}`, { as: 'ada', body });
      expect(res.status, `${action}`).toBe(status);
      await conforms(`/api/incidents/{id}/${action}`, 'post', res);
    }
    const missingRationale = await call('POST', `/incidents/${id}/resolve`, { as: 'ada', body: {} });
    expect(missingRationale.status).toBe(400);
    expect(((await conforms('/api/incidents/{id}/resolve', 'post', missingRationale)) as { error: { message: string } }).error.message).toContain('rationale');
    const detail = await call('GET', `/incidents/${id}`, { as: 'vic' });
    const body = (await conforms('/api/incidents/{id}', 'get', detail)) as { audits: unknown[]; timeline: { type: string }[] };
    expect(body.audits).toHaveLength(11);
    const missing = await call('GET', '/incidents/999999', { as: 'vic' });
    expect(missing.status).toBe(404);
    await conforms('/api/incidents/{id}', 'get', missing);
    const notFoundAction = await call('POST', '/incidents/999999/acknowledge', { as: 'ada', body: { rationale: 'x' } });
    expect(notFoundAction.status).toBe(404);
    await conforms('/api/incidents/{id}/acknowledge', 'post', notFoundAction);
    const retro = await call('GET', `/incidents/${id}/retrospective`, { as: 'vic' });
    expect(retro.status).toBe(200);
    expect(await conforms('/api/incidents/{id}/retrospective', 'get', retro)).toContain('# Retrospective');
  });

  it('adds action items', async () => {
    const res = await call('POST', `/incidents/${id}/action-items`, { as: 'ada', body: { title: 'Raise the pool size', rationale: 'pool exhausted' } });
    expect(res.status).toBe(201);
    await conforms('/api/incidents/{id}/action-items', 'post', res);
    const bad = await call('POST', `/incidents/${id}/action-items`, { as: 'ada', body: { rationale: 'no title' } });
    expect(bad.status).toBe(400);
    await conforms('/api/incidents/{id}/action-items', 'post', bad);
  });

  it('Idempotency-Key: a retry replays the first response; the same key with another body is a 422', async () => {
    const headers = { 'idempotency-key': 'retry-1' };
    const first = await call('POST', `/incidents/${id}/escalate`, { as: 'ada', body: { rationale: 'page' }, headers });
    const firstBody = await conforms('/api/incidents/{id}/escalate', 'post', first);
    const retry = await call('POST', `/incidents/${id}/escalate`, { as: 'ada', body: { rationale: 'page' }, headers });
    expect(retry.headers.get('idempotency-replayed')).toBe('true');
    expect(await conforms('/api/incidents/{id}/escalate', 'post', retry)).toEqual(firstBody);
    const reused = await call('POST', `/incidents/${id}/escalate`, { as: 'ada', body: { rationale: 'page harder' }, headers });
    expect(reused.status).toBe(422);
    await conforms('/api/incidents/{id}/escalate', 'post', reused);
  });

  it('is safe for cookie auth: JSON bodies only, cross-site requests refused', async () => {
    const form = await api(new Request(`${ORIGIN}/parapet/api/incidents/${id}/notes`, { method: 'POST', headers: { cookie: 'session=ada', 'content-type': 'application/x-www-form-urlencoded' }, body: 'rationale=csrf' }));
    expect(form.status).toBe(415);
    await conforms('/api/incidents/{id}/notes', 'post', form);
    const crossSite = await call('POST', `/incidents/${id}/notes`, { as: 'ada', body: { rationale: 'csrf' }, headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    await conforms('/api/incidents/{id}/notes', 'post', crossSite);
    const foreignOrigin = await call('POST', `/incidents/${id}/notes`, { as: 'ada', body: { rationale: 'csrf' }, headers: { origin: 'https://evil.example', 'sec-fetch-site': '' } });
    expect(foreignOrigin.status).toBe(403);
    const detail = (await (await call('GET', `/incidents/${id}`, { as: 'vic' })).json()) as { timeline: { summary: string }[] };
    expect(detail.timeline.some((t) => t.summary === 'csrf')).toBe(false);
  });

  it('records deploys from CI with a deploy token, and health', async () => {
    const deploy = await api(new Request(`${ORIGIN}/parapet/api/deploys`, { method: 'POST', headers: { authorization: `Bearer ${DEPLOY_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ version: 'v1.2.3', service: 'checkout' }) }));
    expect(deploy.status).toBe(201);
    await conforms('/api/deploys', 'post', deploy);
    const noToken = await api(new Request(`${ORIGIN}/parapet/api/deploys`, { method: 'POST', headers: { authorization: 'Bearer wrong', 'content-type': 'application/json' }, body: JSON.stringify({ version: 'v1' }) }));
    expect(noToken.status).toBe(401);
    await conforms('/api/deploys', 'post', noToken);
    const health = await call('GET', '/health', { as: 'vic' });
    expect(((await conforms('/api/health', 'get', health)) as { heartbeat: string }).heartbeat).toBe('missing');
  });
});
