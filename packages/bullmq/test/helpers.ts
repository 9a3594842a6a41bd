import { randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Registry } from 'prom-client';

/** bullmq connection options for a redis:// URL. Workers need maxRetriesPerRequest: null. */
export function connectionFor(url: string) {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 6379), maxRetriesPerRequest: null };
}

/** A queue name no other test (or run) uses. */
export const uniqueQueue = (label: string) => `parapet-test-${label}-${randomBytes(4).toString('hex')}`;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export { waitFor } from '@parapet/vitest-preset/processes';

type Labels = Record<string, string>;

/** The value of one series (for histograms pass the full sample name, e.g. `..._count`). */
export async function metricValue(registry: Registry, sample: string, labels: Labels): Promise<number | undefined> {
  const base = sample.replace(/_(bucket|count|sum)$/, '');
  for (const metric of await registry.getMetricsAsJSON()) {
    if (metric.name !== sample && metric.name !== base) continue;
    for (const v of metric.values as Array<{ labels: Labels; value: number; metricName?: string }>) {
      if ((v.metricName ?? metric.name) !== sample) continue;
      if (Object.entries(labels).every(([k, val]) => String(v.labels[k]) === val) && Object.keys(v.labels).length === Object.keys(labels).length) {
        return v.value;
      }
    }
  }
  return undefined;
}

/** Series of one metric whose labels include `match`. */
export async function seriesOf(registry: Registry, name: string, match: Labels = {}): Promise<Array<{ labels: Labels; value: number }>> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  if (!metric) return [];
  return (metric.values as Array<{ labels: Labels; value: number; metricName?: string }>).filter(
    (v) => (v.metricName ?? name) === name && Object.entries(match).every(([k, val]) => String(v.labels[k]) === val),
  );
}

/** Job-run series that recorded something: core also keeps completed/failed/discarded siblings at 0 for SLOs. */
export async function recordedRuns(registry: Registry, match: Labels = {}): Promise<Array<{ labels: Labels; value: number }>> {
  return (await seriesOf(registry, 'parapet_job_runs_total', match)).filter((s) => s.value > 0);
}

export async function obliterate(...queues: Queue[]) {
  for (const q of queues) {
    try {
      await q.obliterate({ force: true });
    } catch {
      // The test may have stopped this queue's Redis on purpose.
    }
    await q.close().catch(() => {});
  }
}
