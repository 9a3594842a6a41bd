import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { toNodeHandler } from '@parapet/core/integration';
import { createAlertmanagerWebhook, createEvidenceStore, createOperatorApiHandler, type AlertmanagerPayload, type EvidenceStoreHandle, type OperatorRoute } from '@parapet/evidence-pg';
import { createTestDatabase } from '@parapet/vitest-preset/databases';
import { createWorkbenchHandler, type WorkbenchHandlerOptions } from '../src/handler.js';
import { freshBundle } from './bundle.js';
import { alertmanagerPayload, type AlertSpec } from '@parapet/vitest-preset/alertmanager';

export const WEBHOOK_TOKEN = 'test-webhook-token-0123456789';
export const USERS = {
  ada: { id: 'u-ada', name: 'Ada Lovelace', role: 'responder' as const },
  bob: { id: 'u-bob', name: 'Bob Okafor', role: 'responder' as const },
  vic: { id: 'u-vic', name: 'Vic Viewer', role: 'viewer' as const },
};

export interface WorkbenchServer {
  url: string;
  basePath: string;
  store: EvidenceStoreHandle;
  /** Deliver an Alertmanager payload through the real webhook. */
  deliver(payload: AlertmanagerPayload): Promise<Response>;
  close(): Promise<void>;
}

export type { AlertSpec } from '@parapet/vitest-preset/alertmanager';

/** An Alertmanager v4 payload as Alertmanager sends it. */
export function payload(alerts: AlertSpec[], groupKey = '{}:{alertname="HighErrorRate"}'): AlertmanagerPayload {
  return alertmanagerPayload({
    alerts,
    labels: (fp) => ({ alertname: 'HighErrorRate', service: 'checkout', severity: 'page', slo: 'checkout_availability', instance: fp }),
    annotations: (fp) => ({ summary: `checkout errors on ${fp}`, runbook_url: 'https://runbooks.example.com/checkout' }),
    groupKey,
  }) as unknown as AlertmanagerPayload;
}

/** A fresh database on the shared Postgres server (dropped on close). */
async function freshDatabase(): Promise<{ pool: pg.Pool; drop(): Promise<void> }> {
  const database = await createTestDatabase('parapet_ui');
  const pool = new pg.Pool({ connectionString: database.url, max: 8 });
  pool.on('error', () => {});
  return {
    pool,
    async drop() {
      await pool.end();
      await database.drop();
    },
  };
}

/**
 * A real host: evidence store (PGlite or Postgres), the Alertmanager webhook, the operator API
 * and the workbench handler under one mount, with a cookie "login" (`parapet_user=ada`) that the
 * host's `authorize` turns into an actor.
 */
export async function startWorkbenchServer(args: { target: 'pglite' | 'postgres'; basePath?: string; routes?: OperatorRoute[]; workbench?: WorkbenchHandlerOptions }): Promise<WorkbenchServer> {
  const basePath = args.basePath ?? '/parapet';
  const db = args.target === 'postgres' ? await freshDatabase() : undefined;
  const store = await createEvidenceStore(db ? { database: db.pool } : {});
  const webhook = createAlertmanagerWebhook({ store, tokens: [WEBHOOK_TOKEN] });
  const api = createOperatorApiHandler({
    store,
    basePath,
    routes: args.routes ?? [],
    authorize: (request) => {
      const cookie = request.headers.get('cookie') ?? '';
      const m = /(?:^|;\s*)parapet_user=([a-z]+)/.exec(cookie);
      return (m && USERS[m[1] as keyof typeof USERS]) || null;
    },
  });
  const workbench = createWorkbenchHandler({ basePath, pollIntervalMs: 500, assetsDir: await freshBundle(), links: { grafanaUrl: 'https://grafana.example.com', alertmanagerUrl: 'https://alertmanager.example.com', traceUrl: 'https://tempo.example.com/trace/{traceId}' }, ...args.workbench });
  const serveApi = toNodeHandler(api);
  const serveWebhook = toNodeHandler(webhook);
  const serveWorkbench = toNodeHandler(workbench);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === `${basePath}/alertmanager`) return void serveWebhook(req, res);
    if (path.startsWith(`${basePath}/api/`)) return void serveApi(req, res);
    // The host's auth in front of the workbench too: no session, no page.
    if (!/parapet_user=/.test(req.headers.cookie ?? '')) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('sign in');
      return;
    }
    return void serveWorkbench(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    basePath,
    store,
    deliver: (p) => fetch(`${url}${basePath}/alertmanager`, { method: 'POST', headers: { authorization: `Bearer ${WEBHOOK_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(p) }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await store.close();
      await db?.drop();
    },
  };
}
