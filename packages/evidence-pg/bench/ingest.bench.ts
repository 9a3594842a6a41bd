// Sustained Alertmanager webhook ingest over a real socket: 4 concurrent senders, 5-alert groups,
// each group delivered firing then resolved. Reports deliveries/s and latency percentiles.
// Usage: tsx --conditions=parapet-source bench/ingest.bench.ts [seconds=10] [targets=postgres,pglite]
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
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

for (const kind of kinds) {
  const target = await openBenchTarget(kind);
  const webhook = createAlertmanagerWebhook({ store: target.store, tokens: [TOKEN] });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: webhook, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
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
  latencies.sort((a, b) => a - b);
  const health = await target.store.health();
  console.log(
    `${target.name}: ${latencies.length} deliveries in ${seconds} s = ${(latencies.length / seconds).toFixed(0)} deliveries/s; p50 ${fmt(percentile(latencies, 50))}, p99 ${fmt(percentile(latencies, 99))}, max ${fmt(latencies.at(-1)!)}; non-200: ${failures}; incidents ${JSON.stringify(health.incidentsByState)}`,
  );
  await target.close();
}
