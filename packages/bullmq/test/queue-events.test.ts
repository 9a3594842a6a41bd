import { attach, type ParapetHandle } from '@parapet/core';
import { needs, redisUrl } from '@parapet/vitest-preset/services';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { bullmq, BullmqOptionsError } from '../src/index.js';
import { exited, forkFixture, nextMessage } from './child.js';
import { connectionFor, metricValue, obliterate, recordedRuns, uniqueQueue, waitFor } from './helpers.js';

const connection = connectionFor(redisUrl);

describe.skipIf(!(await needs('redis')))('QueueEvents observer (real Redis)', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  /** An observing process: QueueEvents + Queue, while an uninstrumented worker runs elsewhere. */
  async function observe(name: string, withQueue = true) {
    const queue = new Queue(name, { connection });
    cleanup.push(() => obliterate(queue));
    const events = new QueueEvents(name, { connection });
    cleanup.push(() => events.close());
    await events.waitUntilReady();
    const registry = new Registry();
    const handle: ParapetHandle = attach({
      registry,
      integrations: [bullmq({ queueEvents: [events], ...(withQueue && { queues: [queue] }), sampleIntervalMs: 60_000 })],
    });
    cleanup.push(() => handle.close());
    return { queue, registry };
  }

  function work(name: string, processor: ConstructorParameters<typeof Worker>[1]) {
    const worker = new Worker(name, processor, { connection });
    cleanup.push(() => worker.close());
  }

  it('records completed, failed and discarded runs with names and timings read through the queue', async () => {
    const name = uniqueQueue('observed');
    const { queue, registry } = await observe(name);
    work(name, async (job) => {
      if (job.name !== 'ok') throw new Error(`${job.name} broke`);
    });
    await queue.add('ok', {});
    await queue.add('once', {});
    await queue.add('thrice', {}, { attempts: 3 });
    const runs = (job: string, outcome: string, attempt: string) => metricValue(registry, 'parapet_job_runs_total', { queue: name, job, outcome, attempt });
    await waitFor('three outcomes', async () =>
      (await runs('ok', 'completed', '1')) === 1 && (await runs('once', 'failed', '1')) === 1 && (await runs('thrice', 'discarded', '3')) === 1);
    // The stream only carries final outcomes: the two retried attempts are not visible here.
    expect(await recordedRuns(registry, { outcome: 'retrying' })).toEqual([]);
    expect(await metricValue(registry, 'parapet_job_run_duration_seconds_count', { queue: name, job: 'ok', outcome: 'completed' })).toBe(1);
    expect(await metricValue(registry, 'parapet_job_wait_duration_seconds_count', { queue: name, job: 'ok' })).toBe(1);
  });

  it('counts jobs it cannot read (removed on completion, or no queue given) as _unknown without timings', async () => {
    const name = uniqueQueue('observed-removed');
    const { queue, registry } = await observe(name, false);
    work(name, async () => undefined);
    await queue.add('gone', {}, { removeOnComplete: true });
    await waitFor('unknown run', async () =>
      (await metricValue(registry, 'parapet_job_runs_total', { queue: name, job: '_unknown', outcome: 'completed', attempt: '1' })) === 1);
    expect(await metricValue(registry, 'parapet_job_run_duration_seconds_count', { queue: name, job: '_unknown', outcome: 'completed' })).toBeUndefined();
  });

  it('records stalled from the event stream when a worker process dies mid-job', async () => {
    const name = uniqueQueue('observed-stalled');
    const { queue, registry } = await observe(name);
    const child = forkFixture('stalling-worker.ts', { REDIS_URL: redisUrl, QUEUE: name });
    cleanup.push(async () => {
      child.kill('SIGKILL');
      await exited(child);
    });
    await nextMessage(child, (m: { ready?: boolean }) => m.ready === true);
    const job = await queue.add('import-csv', {});
    await nextMessage(child, (m: { started?: string }) => m.started === job.id);
    child.kill('SIGKILL');
    await exited(child);
    const survivor = new Worker(name, async () => undefined, { connection, stalledInterval: 300, lockDuration: 1000 });
    cleanup.push(() => survivor.close());
    await waitFor('stalled then completed', async () =>
      (await metricValue(registry, 'parapet_job_runs_total', { queue: name, job: 'import-csv', outcome: 'stalled', attempt: '1' })) === 1 &&
      (await metricValue(registry, 'parapet_job_runs_total', { queue: name, job: 'import-csv', outcome: 'completed', attempt: '1' })) === 1, { timeoutMs: 15_000 });
  });

  it('refuses to observe a queue whose workers are instrumented in the same process (double counting)', async () => {
    const name = uniqueQueue('double');
    const worker = new Worker(name, async () => undefined, { connection, autorun: false });
    const events = new QueueEvents(name, { connection, autorun: false });
    cleanup.push(() => worker.close());
    cleanup.push(() => events.close());
    expect(() => bullmq({ workers: [worker], queueEvents: [events] })).toThrow(BullmqOptionsError);
    expect(() => bullmq({ workers: [worker], queueEvents: [events] })).toThrow(/counted twice/);
  });
});
