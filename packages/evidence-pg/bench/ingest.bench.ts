// Sustained Alertmanager webhook ingest over a real socket: 4 concurrent senders, 5-alert groups,
// each group delivered firing then resolved. Reports deliveries/s and latency percentiles, and the
// same against a floor in the same run: a handler that only parses the body and commits one
// transaction inserting the 5 alerts as rows of a bare table (no correlation, no timeline) — the
// least any durable ingest does per delivery — so the ratio says what correlation costs.
// Usage: tsx --conditions=parapet-source bench/ingest.bench.ts [seconds=10] [targets=postgres,pglite]
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { sql } from 'kysely';
import { createAlertmanagerWebhook } from '../src/index.js';
import { fmt, openBenchTarget, percentile } from './targets.js';

const seconds = Number(process.argv[2] ?? 10);
const kinds = (process.argv[3] ?? 'postgres,pglite').split(',') as ('postgres' | 'pglite')[];
const TOKEN = 'bench-token-0123456789abcdef';
const SENDERS = 4;

function group(sender: number, n: number, status: 'firing' | 'resolved') {
  const startsAt = new Date(Date.UTC(2026, 7, 20, 9, 0, 0) + n * 1000).toISOString();
  const alerts = Array.from({ length: 5 }, (_, i) => ({
    status,
    labels: { alertname: 'HighErrorRate', service: `svc-${sender}`, severity: 'critical', slo: 'checkout-availability', instance: `i-${i}` },
    annotations: { summary: 'bench' },
    startsAt,
    endsAt: status === 'resolved' ? new Date(Date.parse(startsAt) + 60_000).toISOString() : '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus/graph',
    fingerprint: `${sender.toString(16)}${n.toString(16).padStart(10, '0')}${i.toString(16).padStart(5, '0')}`,
  }));
  return JSON.stringify({ receiver: 'parapet', status, alerts, groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: '', version: '4', groupKey: `{}:{service="svc-${sender}",n="${n}"}`, truncatedAlerts: 0 });
}

/** Drives `handler` with the senders for `seconds`; returns sorted latencies and non-200 count. */
async function drive(handler: (req: Request) => Promise<Response>) {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: handler, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const latencies: number[] = [];
  let failures = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: SENDERS }, async (_, sender) => {
      for (let n = 0; performance.now() < until; n++) {
        for (const status of ['firing', 'resolved'] as const) {
          const started = performance.now();
          const res = await fetch(`http://127.0.0.1:${port}/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: group(sender, n, status) });
          await res.arrayBuffer();
          latencies.push(performance.now() - started);
          if (res.status !== 200) failures++;
        }
      }
    }),
  );
  await new Promise((r) => server.close(r));
  return { latencies: latencies.sort((a, b) => a - b), failures };
}

const line = (name: string, r: { latencies: number[]; failures: number }) =>
  `${name}: ${r.latencies.length} deliveries in ${seconds} s = ${(r.latencies.length / seconds).toFixed(0)} deliveries/s; p50 ${fmt(percentile(r.latencies, 50))}, p99 ${fmt(percentile(r.latencies, 99))}, max ${fmt(r.latencies.at(-1)!)}; non-200: ${r.failures}`;

for (const kind of kinds) {
  const target = await openBenchTarget(kind);
  const db = target.store.db;
  await sql`CREATE TABLE bench_floor (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, fingerprint text NOT NULL, status text NOT NULL, alert jsonb NOT NULL)`.execute(db);
  const floor = await drive(async (req) => {
    const payload = (await req.json()) as { alerts: { fingerprint: string; status: string }[] };
    await db.transaction().execute((trx) =>
      sql`INSERT INTO bench_floor (fingerprint, status, alert) SELECT a->>'fingerprint', a->>'status', a FROM jsonb_array_elements(${JSON.stringify(payload.alerts)}::jsonb) AS a`.execute(trx),
    );
    return Response.json({ ok: true });
  });
  console.log(line(`${target.name}, floor (bare insert)`, floor));
  const ingest = await drive(createAlertmanagerWebhook({ store: target.store, tokens: [TOKEN] }));
  const health = await target.store.health();
  console.log(`${line(`${target.name}, Parapet ingest`, ingest)}; incidents ${JSON.stringify(health.incidentsByState)}`);
  console.log(`${target.name}: Parapet ingest runs at ${(ingest.latencies.length / floor.latencies.length).toFixed(2)}× the floor's throughput`);
  await target.close();
}
