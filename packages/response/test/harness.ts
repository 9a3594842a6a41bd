import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { createTestDatabase } from '@parapet/vitest-preset/databases';

export { withDatabase } from '@parapet/vitest-preset/databases';
import { createEvidenceStore, createOperatorApiHandler, type Actor, type AlertmanagerPayload, type EvidenceStoreHandle } from '@parapet/evidence-pg';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { responseExtension, responseOpenApiDocument } from '../src/index.js';
import { alertmanagerPayload, type AlertSpec } from '@parapet/vitest-preset/alertmanager';
import { waitFor } from '@parapet/vitest-preset/processes';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(responseOpenApiDocument as never, 'openapi');
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
const templates = Object.keys(responseOpenApiDocument.paths).map((t) => ({ t, re: new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));

/** Every response of a route this package documents must match its OpenAPI description (status and body). */
export function conforms(method: 'get' | 'post', path: string, status: number, body: unknown): void {
  const template = templates.find((x) => x.re.test(path.split('?')[0]!))?.t;
  if (!template) return; // evidence-pg's own routes: its contract test covers them
  const operation = (responseOpenApiDocument.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)[template]![method];
  if (!operation) throw new Error(`${method.toUpperCase()} ${template} is not in openapi.json`);
  if (!operation.responses[String(status)]) throw new Error(`${method.toUpperCase()} ${template} answered ${status}, which openapi.json does not declare`);
  const validate = ajv.getSchema(`openapi#/${pointer('paths', template, method, 'responses', String(status), 'content', 'application/json', 'schema')}`)!;
  if (!validate(body)) throw new Error(`${method.toUpperCase()} ${template} ${status} does not match openapi.json: ${ajv.errorsText(validate.errors)}`);
}

export const responder = { id: 'u-ada', name: 'Ada', role: 'responder' as const };
export const other = { id: 'u-bob', name: 'Bob', role: 'responder' as const };
export const viewer = { id: 'u-vic', name: 'Vic', role: 'viewer' as const };

/** A clock tests move by hand. */
export function manualClock(start = '2026-08-20T09:00:00.000Z') {
  let t = Date.parse(start);
  return { now: () => new Date(t), advance: (ms: number) => void (t += ms), set: (iso: string) => void (t = Date.parse(iso)), get ms() { return t; } };
}

export interface Opened {
  store: EvidenceStoreHandle;
  url?: string;
  close(): Promise<void>;
}

export type TargetName = 'pglite' | 'postgres';

let template: Promise<PGlite> | undefined;
function pgliteTemplate(): Promise<PGlite> {
  return (template ??= (async () => {
    const pglite = new PGlite();
    // Kept open for the file's lifetime (closing the store would close this PGlite).
    await createEvidenceStore({ pglite: pglite as never, extensions: [responseExtension] });
    return pglite;
  })());
}

export async function openStore(target: TargetName, options: { now?: () => Date; dataDir?: string; url?: string } = {}): Promise<Opened> {
  if (target === 'pglite') {
    if (options.dataDir) {
      const store = await createEvidenceStore({ extensions: [responseExtension], now: options.now, dataDir: options.dataDir });
      return { store, close: () => store.close() };
    }
    // A clone of one migrated in-memory database: starting PGlite and migrating is the slow part.
    const pglite = await (await pgliteTemplate()).clone();
    const store = await createEvidenceStore({ pglite: pglite as never, extensions: [responseExtension], now: options.now });
    return {
      store,
      async close() {
        await store.close(); // closes the clone too
        if (!pglite.closed) await pglite.close();
      },
    };
  }
  const db = options.url ? undefined : await createTestDatabase('parapet_rs');
  const url = options.url ?? db!.url;
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on('error', () => {});
  const store = await createEvidenceStore({ database: new Kysely<any>({ dialect: new PostgresDialect({ pool }) }), extensions: [responseExtension], now: options.now });
  return {
    store,
    url,
    async close() {
      await store.close();
      await pool.end();
      await db?.drop();
    },
  };
}

/** An Alertmanager v4 payload as Alertmanager sends it. */
export function payload(alerts: AlertSpec[]): AlertmanagerPayload {
  return alertmanagerPayload({
    alerts,
    labels: () => ({ alertname: 'CheckoutAvailabilityBudgetBurnPage', service: 'checkout', severity: 'page', slo: 'checkout_availability' }),
    annotations: (fp) => ({ summary: `checkout errors (${fp})` }),
    groupKey: `{}:{fp="${alerts[0]!.fingerprint}"}`,
  }) as AlertmanagerPayload;
}

export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'hold';

/**
 * A local HTTP receiver standing in for Slack, Teams and the webhook target. Records every
 * request; `accepted` holds only those it answered 2xx and whose response was fully written.
 */
export async function receiver(reply: (r: Received, n: number) => Reply = () => ({ status: 200, body: 'ok' })) {
  const received: Received[] = [];
  const accepted: Received[] = [];
  const held: { r: Received; res: ServerResponse }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(r);
      const answer = reply(r, received.length);
      if (answer === 'hold') {
        held.push({ r, res });
        return;
      }
      res.on('finish', () => {
        if (answer.status >= 200 && answer.status < 300) accepted.push(r);
      });
      res.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    received,
    accepted,
    held,
    close: () =>
      new Promise<void>((r) => {
        for (const h of held) h.res.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Poll until `check` returns a truthy value (never a fixed sleep). */
export const until = <T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 30_000): Promise<T> =>
  waitFor(what, check, { timeoutMs }) as Promise<T>;

/** The operator API with the response routes, and a JSON caller acting as `actor`. */
export function api(store: EvidenceStoreHandle, routes: Parameters<typeof createOperatorApiHandler>[0]['routes']) {
  const actors: Record<string, Actor> = { [responder.id]: responder, [other.id]: other, [viewer.id]: viewer };
  const handler = createOperatorApiHandler({ store, routes, authorize: (r) => actors[r.headers.get('x-user') ?? ''] ?? null });
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown, actor: Actor = responder) => {
    const res = await handler(new Request(`http://ops.example.com/api${path}`, { method, headers: { 'x-user': actor.id, ...(method === 'POST' && { 'content-type': 'application/json' }) }, ...(method === 'POST' && { body: JSON.stringify(body ?? {}) }) }));
    const json = (await res.json()) as any;
    conforms(method === 'GET' ? 'get' : 'post', path, res.status, json);
    return { status: res.status, body: json };
  };
  return { handler, call };
}
