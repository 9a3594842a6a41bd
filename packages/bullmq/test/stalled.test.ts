import { attach, type ParapetHandle } from '@parapet/core';
import { needs, redisUrl } from '@parapet/vitest-preset/services';
import { Queue, Worker } from 'bullmq';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { bullmq } from '../src/index.js';
import { exited, forkFixture, nextMessage } from './child.js';
import { connectionFor, metricValue, obliterate, uniqueQueue, waitFor } from './helpers.js';

const connection = connectionFor(redisUrl);

describe.skipIf(!(await needs('redis')))('stalled jobs (worker process killed mid-job)', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('records stalled when another worker finds the dead worker\'s job, then the retry completes', async () => {
    const name = uniqueQueue('stalled');
    const queue = new Queue(name, { connection });
    cleanup.push(() => obliterate(queue));

    const child = forkFixture('stalling-worker.ts', { REDIS_URL: redisUrl, QUEUE: name });
    cleanup.push(async () => {
      child.kill('SIGKILL');
      await exited(child);
    });
    await nextMessage(child, (m: { ready?: boolean }) => m.ready === true);
    const job = await queue.add('resize-image', { w: 100 });
    await nextMessage(child, (m: { started?: string }) => m.started === job.id);
    child.kill('SIGKILL');
    await exited(child);

    // The survivor: a short stalled interval so the dead worker's expired lock is noticed quickly.
    const survivor = new Worker(name, async () => 'done', { connection, stalledInterval: 300, lockDuration: 1000 });
    cleanup.push(() => survivor.close());
    const registry = new Registry();
    const handle: ParapetHandle = attach({ registry, integrations: [bullmq({ workers: [survivor], jobNames: ['resize-image'] })] });
    cleanup.push(() => handle.close());

    const stalled = { queue: name, job: 'resize-image', outcome: 'stalled', attempt: '1' };
    await waitFor('stalled run', async () => (await metricValue(registry, 'parapet_job_runs_total', stalled)) === 1, { timeoutMs: 15_000 });
    await waitFor('retry completed', async () =>
      (await metricValue(registry, 'parapet_job_runs_total', { queue: name, job: 'resize-image', outcome: 'completed', attempt: '1' })) === 1);
    // A stall has no run duration of its own; the completed run has one.
    expect(await metricValue(registry, 'parapet_job_run_duration_seconds_count', { queue: name, job: 'resize-image', outcome: 'stalled' })).toBeUndefined();
    expect(await metricValue(registry, 'parapet_job_run_duration_seconds_count', { queue: name, job: 'resize-image', outcome: 'completed' })).toBe(1);
    // The restart is not the job's first start, so it adds no wait observation.
    expect(await metricValue(registry, 'parapet_job_wait_duration_seconds_count', { queue: name, job: 'resize-image' })).toBeUndefined();
    expect((await queue.getJob(job.id!))?.stalledCounter).toBe(1);
  });
});
