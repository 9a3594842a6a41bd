/**
 * Cost of the in-process SLO monitor (docs/alerting-without-prometheus.md): CPU per evaluation
 * for 50 slices (goal < 1 ms) and memory per slice (goal < 100 KB), on the SRE workbook windows
 * (longest window 3d) after 4 simulated days, so every ring is full.
 *
 *   pnpm --filter @parapet/core bench:monitor   (node --expose-gc for the heap figure)
 */
import { defineConfig, defineProvider, resolveConfig } from '../src/slo/model/define.js';
import type { SliceSpec } from '../src/slo/model/spec.js';
import { SloEvaluator } from '../src/slo/monitor/evaluator.js';
import type { MetricSample } from '../src/slo/monitor/series.js';

const SLICES = 50;
const specs: SliceSpec[] = Array.from({ length: SLICES }, (_, i) => ({
  name: `slice_${i}`, description: `Slice ${i}`, objective: 99.9, alert: 'page', runbookUrl: 'https://runbooks.example.com/x',
  sli: i % 2 === 0
    ? { kind: 'event-ratio', total: { metric: 'parapet_http_server_requests_total', matchers: { route: `/r${i}` } }, bad: { metric: 'parapet_http_server_requests_total', matchers: { route: `/r${i}`, status_class: '5xx' } } }
    : { kind: 'latency', metric: 'parapet_http_server_request_duration_seconds', matchers: { route: `/r${i}` }, threshold: 1 },
}));
const { slices, windows } = resolveConfig(defineConfig({ providers: [defineProvider('bench', specs)] }));

// A registry snapshot like attach() records: 50 routes x 4 status classes, counters and histograms.
const classes = ['2xx', '3xx', '4xx', '5xx'];
const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
function samples(minute: number): MetricSample[] {
  const out: MetricSample[] = [];
  for (let i = 0; i < SLICES; i++) for (const c of classes) {
    const route = `/r${i}`;
    const n = minute * 1000 * (c === '5xx' ? 0.001 : 0.3);
    out.push({ name: 'parapet_http_server_requests_total', labels: { route, status_class: c, method: 'GET' }, value: n });
    for (const le of buckets) out.push({ name: 'parapet_http_server_request_duration_seconds_bucket', labels: { route, status_class: c, method: 'GET', le: String(le) }, value: n * Math.min(1, le) });
    out.push({ name: 'parapet_http_server_request_duration_seconds_count', labels: { route, status_class: c, method: 'GET' }, value: n });
  }
  return out;
}

const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const evaluator = new SloEvaluator(slices, windows);
const MINUTES = 4 * 1440;
let observeNs = 0;
let evaluateNs = 0;
const perEval: number[] = [];
const snapshot = samples(1);
for (let m = 0; m < MINUTES; m++) {
  // Reuse one snapshot shape; values grow so deltas are real.
  for (const s of snapshot) (s as { value: number }).value += 1;
  let t = process.hrtime.bigint();
  evaluator.observe(m, snapshot);
  observeNs += Number(process.hrtime.bigint() - t);
  t = process.hrtime.bigint();
  evaluator.evaluate(m);
  const ns = Number(process.hrtime.bigint() - t);
  evaluateNs += ns;
  if (m >= 3 * 1440) perEval.push(ns);
}
gc?.();
const heapAfter = process.memoryUsage().heapUsed;
perEval.sort((a, b) => a - b);
const ms = (ns: number) => (ns / 1e6).toFixed(3);
console.log(`slices: ${SLICES}, series in the snapshot: ${snapshot.length}, minutes simulated: ${MINUTES}`);
console.log(`evaluate (50 slices): median ${ms(perEval[perEval.length >> 1]!)} ms, p99 ${ms(perEval[Math.floor(perEval.length * 0.99)]!)} ms, mean ${ms(evaluateNs / MINUTES)} ms  (goal < 1 ms)`);
console.log(`observe (read ${snapshot.length} samples into 50 slices): mean ${ms(observeNs / MINUTES)} ms per minute`);
console.log(`window state: ${(evaluator.bytes / SLICES / 1024).toFixed(1)} KB per slice (typed arrays)${gc ? `, heap growth ${((heapAfter - heapBefore) / SLICES / 1024).toFixed(1)} KB per slice` : ' (run with --expose-gc for heap growth)'}  (goal < 100 KB)`);
