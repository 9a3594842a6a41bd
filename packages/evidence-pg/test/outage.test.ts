import { existsSync } from 'node:fs';
import pg from 'pg';
import { needs } from '@parapet/vitest-preset/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertmanagerWebhook, createEvidenceStore, type EvidenceStoreHandle } from '../src/index.js';
import { payload } from './fixtures.js';
import { createPrivateCluster, type PrivateCluster } from './private-cluster.js';

const TOKEN = 'outage-token-0123456789abcdef';
const canRun = existsSync('/usr/lib/postgresql') && (await needs('postgres'));

describe.runIf(canRun)('PostgreSQL stopped mid-ingest (private cluster)', () => {
  let cluster: PrivateCluster;
  let pool: pg.Pool;
  let store: EvidenceStoreHandle;
  let webhook: (r: Request) => Promise<Response>;
  beforeAll(async () => {
    cluster = await createPrivateCluster();
    pool = new pg.Pool({ connectionString: cluster.url, max: 8, connectionTimeoutMillis: 5_000 });
    pool.on('error', () => {});
    store = await createEvidenceStore({ database: pool });
    webhook = createAlertmanagerWebhook({ store, tokens: [TOKEN], retryAfterSeconds: 7 });
  });
  afterAll(async () => {
    await store?.close();
    await pool?.end();
    cluster?.destroy();
  });

  const deliver = (body: unknown) =>
    webhook(new Request('http://app/parapet/alertmanager', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body) }));

  it('answers 503 with Retry-After while the database is down, and a replay after restart restores everything', async () => {
    const payloads = Array.from({ length: 12 }, (_, i) => payload({ alerts: [{ fingerprint: `out${String(i).padStart(13, '0')}`, startsAt: `2026-08-20T09:${String(i).padStart(2, '0')}:00Z` }] }));
    const resolvedFirst = payload({ alerts: [{ fingerprint: `out${'0'.repeat(13)}`, startsAt: '2026-08-20T09:00:00Z', status: 'resolved', endsAt: '2026-08-20T09:30:00Z' }] });
    expect((await deliver(payloads[0])).status).toBe(200);

    // Deliveries in flight while the server stops: each one either committed (200) or answered
    // 503 + Retry-After; never another status, never a 2xx without a commit.
    const inFlight = payloads.slice(1).map((p) => deliver(p));
    cluster.stop();
    const during = await Promise.all(inFlight);
    for (const res of during) {
      expect([200, 503]).toContain(res.status);
      if (res.status === 503) {
        expect(res.headers.get('retry-after')).toBe('7');
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAVAILABLE');
      }
    }
    const down = await deliver(resolvedFirst);
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('7');

    cluster.start();
    // Alertmanager retries: replay every delivery (the committed ones are no-ops).
    for (const p of [...payloads, resolvedFirst]) expect((await deliver(p)).status).toBe(200);
    const all = await store.listIncidents({ state: 'all', limit: 200 });
    expect(all.items).toHaveLength(12);
    expect(all.items.filter((i) => i.state === 'resolved').map((i) => i.fingerprint)).toEqual([`out${'0'.repeat(13)}`]);
    for (const i of all.items) {
      const detail = await store.getIncident({ id: i.id });
      expect(detail!.timeline.filter((t) => t.type === 'alert_fired')).toHaveLength(1);
    }
  });
});
