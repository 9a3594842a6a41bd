/**
 * Cost per recorded HTTP event: Parapet (publish on diagnostics_channel → catalog recorder →
 * counter + histogram) against prom-client's own `observe(labels, v)`, measured in one run,
 * alternating rounds, on the same 480 label combinations (20 routes × 4 methods × 6 statuses).
 *
 *   pnpm --filter @parapet/core bench
 */
import client from 'prom-client';
import { attach, publishHttpServerRequest, type HttpServerRequestEvent } from '../src/index.js';
import { HTTP_DURATION_BUCKETS } from '../src/integration.js';

const ITERATIONS = 1_000_000;
const ROUNDS = 7;

const routes = Array.from({ length: 20 }, (_, i) => `/api/v1/resource${i}/:id`);
const methods = ['GET', 'POST', 'PUT', 'DELETE'];
const statuses = [200, 201, 204, 400, 404, 500];
const events: HttpServerRequestEvent[] = [];
const labelSets: Record<string, string>[] = [];
for (const route of routes) for (const method of methods) for (const statusCode of statuses) {
  const durationSeconds = ((events.length * 7919) % 1000) / 2000;
  events.push({ method, route, statusCode, durationSeconds });
  labelSets.push({ route, method, status_class: `${Math.floor(statusCode / 100)}xx`, status_code: String(statusCode) });
}
const n = events.length;

function time(fn: (i: number) => void): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) fn(i);
  return Number(process.hrtime.bigint() - start) / ITERATIONS;
}

// Peer: prom-client histogram (+ counter, the same work Parapet does per event).
const peerRegistry = new client.Registry();
const labelNames = ['route', 'method', 'status_class', 'status_code'];
const peerHistogram = new client.Histogram({ name: 'peer_duration_seconds', help: 'h', labelNames, buckets: [...HTTP_DURATION_BUCKETS], registers: [peerRegistry] });
const peerCounter = new client.Counter({ name: 'peer_requests_total', help: 'h', labelNames, registers: [peerRegistry] });

const handle = attach({ registry: new client.Registry() });

const cases: Record<string, (i: number) => void> = {
  'baseline: loop + event lookup': (i) => void events[i % n],
  'prom-client histogram.observe(labels, v)': (i) => peerHistogram.observe(labelSets[i % n]!, events[i % n]!.durationSeconds),
  'prom-client observe + counter.inc(labels)': (i) => {
    peerHistogram.observe(labelSets[i % n]!, events[i % n]!.durationSeconds);
    peerCounter.inc(labelSets[i % n]!);
  },
  'parapet publishHttpServerRequest (counter + histogram)': (i) => publishHttpServerRequest(events[i % n]!),
};

// Warm up every path so the JIT has seen them all before measuring.
for (const fn of Object.values(cases)) for (let i = 0; i < 200_000; i++) fn(i);

const results: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, fn] of Object.entries(cases)) results[name]!.push(time(fn));
}
await handle.close();
// With nothing attached, publishing is a `hasSubscribers` check: measure that too.
const unattached: number[] = [];
for (let round = 0; round < ROUNDS; round++) unattached.push(time((i) => publishHttpServerRequest(events[i % n]!)));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)]));
const baseline = m['baseline: loop + event lookup']!;
const parapet = m['parapet publishHttpServerRequest (counter + histogram)']! - baseline;

console.log(`Node ${process.version}, ${ITERATIONS.toLocaleString()} events × ${ROUNDS} alternating rounds, ${n} label sets, median ns/event (baseline subtracted)\n`);
console.log('| case | ns/event | Parapet is cheaper by |');
console.log('|---|---:|---:|');
for (const [name, ns] of Object.entries(m)) {
  if (name.startsWith('baseline')) continue;
  const net = ns - baseline;
  const ratio = name.startsWith('parapet') ? '—' : `${(net / parapet).toFixed(1)}×`;
  console.log(`| ${name} | ${net.toFixed(0)} | ${ratio} |`);
}
console.log(`| publishHttpServerRequest with Parapet not attached | ${(median(unattached) - baseline).toFixed(1)} | |`);
console.log(`| baseline (loop + lookup, subtracted above) | ${baseline.toFixed(1)} | |`);
