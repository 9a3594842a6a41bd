/** Test-only fixtures and helpers for the SLO tests (lives in test/, never shipped). */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { defineProvider, resolveSlices } from '../src/slo/model/define.js';
import type { SliceSpec } from '../src/slo/model/spec.js';

const run = promisify(execFile);

export const fixtureSpecs: SliceSpec[] = [
  {
    name: 'login_journey', description: 'Login journey', objective: 99.9, alert: 'page', runbookUrl: 'https://runbooks.example.com/login',
    sli: {
      kind: 'event-ratio',
      total: { metric: 'parapet_journey_steps_total', matchers: { journey: 'login', outcome: ['success', 'failure'] } },
      bad: { metric: 'parapet_journey_steps_total', matchers: { journey: 'login', outcome: 'failure' } },
    },
  },
  {
    name: 'checkout_requests', description: 'Checkout requests', objective: 99.5, alert: 'page', runbookUrl: 'https://runbooks.example.com/checkout',
    groupBy: ['route'], labels: { team: 'payments' }, annotations: { dashboard: 'https://grafana.example.com/d/checkout' },
    sli: {
      kind: 'event-ratio',
      total: { metric: 'parapet_http_server_requests_total', matchers: { status_class: ['2xx', '3xx', '4xx', '5xx'] } },
      good: { metric: 'parapet_http_server_requests_total', matchers: { status_class: ['2xx', '3xx', '4xx'] } },
    },
  },
  {
    name: 'api_latency', description: 'API latency under 1s', objective: 99, alert: 'ticket', period: '28d', runbookUrl: 'https://runbooks.example.com/latency',
    sli: { kind: 'latency', metric: 'parapet_http_server_request_duration_seconds', threshold: '1.0', matchers: { status_class: { not: 'aborted' } } },
  },
  {
    name: 'queue_freshness', description: 'Emails queue freshness', objective: 99, alert: 'page', runbookUrl: 'https://runbooks.example.com/queue',
    groupBy: ['queue'],
    sli: { kind: 'freshness', metric: 'parapet_queue_oldest_waiting_age_seconds', gauge: 'age', maxAgeSeconds: 300 },
  },
  {
    name: 'payment_callbacks', description: 'Payment callback freshness', objective: 99, alert: 'ticket', runbookUrl: 'https://runbooks.example.com/callbacks',
    sli: { kind: 'freshness', metric: 'parapet_async_callback_last_success_timestamp_seconds', matchers: { provider: 'stripe' }, gauge: 'timestamp', maxAgeSeconds: 900 },
  },
];

export const fixtureProvider = defineProvider('fixtures', fixtureSpecs);
export const fixtureSlices = (overrides: Partial<SliceSpec> = {}) => resolveSlices([defineProvider('fixtures', fixtureSpecs.map((s) => ({ ...s, ...overrides })))]);

export function tempDir(prefix = 'parapet-slo-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
}

/** Runs a tool and resolves to its exit code and combined output (never rejects on exit code). */
export async function tool(cmd: string, args: string[], cwd?: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(cmd, args, { cwd, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const goldenDir = join(dirname(fileURLToPath(import.meta.url)), 'slo-golden');

/** Compares with a checked-in golden file; `UPDATE_GOLDEN=1` rewrites it. */
export function golden(name: string, actual: string): string {
  const path = join(goldenDir, name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  return readFileSync(path, 'utf8');
}
