import { attach, type ParapetHandle } from '@parapet/core';
import { needs, redisUrl } from '@parapet/vitest-preset/services';
import { Job, Queue, UnrecoverableError, Worker, type Processor } from 'bullmq';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { bullmq } from '../src/index.js';
import { connectionFor, metricValue, obliterate, recordedRuns, uniqueQueue, waitFor } from './helpers.js';

const connection = connectionFor(redisUrl);

describe.skipIf(!(await needs('redis')))('worker instrumentation (real Redis)', () => {
  const handles: ParapetHandle[] = [];
  const workers: Worker[] = [];
  const queues: Queue[] = [];
  afterEach(async () => {
    for (const h of handles.splice(0)) await h.close();
    for (const w of workers.splice(0)) await w.close();
    await obliterate(...queues.splice(0));
  });

  async function setup(processor: Processor, options: Parameters<typeof bullmq>[0] = {}) {
    const name = uniqueQueue('worker');
    const queue = new Queue(name, { connection });
    queues.push(queue);
    const worker = new Worker(name, processor, { connection, autorun: false });
    workers.push(worker);
    const registry = new Registry();
    handles.push(attach({ registry, logger: { warn() {}, error() {} }, integrations: [bullmq({ workers: [worker], ...options })] }));
    void worker.run();
    await worker.waitUntilReady();
    return { name, queue, worker, registry };
  }
  const runs = (registry: Registry, labels: Record<string, string>) => metricValue(registry, 'parapet_job_runs_total', labels);

  it('records completed runs with run duration and wait time', async () => {
    const { name, queue, registry } = await setup(async () => {
      await new Promise((r) => setTimeout(r, 120));
      return { ok: true };
    });
    const added = await queue.add('send-email', { to: 'a@example.com' });
    await waitFor('completed run', async () => (await runs(registry, { queue: name, job: 'send-email', outcome: 'completed', attempt: '1' })) === 1);
    const labels = { queue: name, job: 'send-email', outcome: 'completed' };
    expect(await metricValue(registry, 'parapet_job_run_duration_seconds_count', labels)).toBe(1);
    const sum = (await metricValue(registry, 'parapet_job_run_duration_seconds_sum', labels))!;
    // The run took at least the processor's 120 ms, and exactly what BullMQ stored (no speed claim).
    const job = (await Job.fromId(queue, added.id!))!;
    expect(sum).toBeGreaterThanOrEqual(0.1);
    expect(sum).toBeCloseTo((job.finishedOn! - job.processedOn!) / 1000, 6);
    expect(await metricValue(registry, 'parapet_job_wait_duration_seconds_count', { queue: name, job: 'send-email' })).toBe(1);
  });

  it('measures wait from the scheduled time of a delayed job, not from when it was added', async () => {
    const { name, queue, registry } = await setup(async () => undefined);
    const added = await queue.add('later', {}, { delay: 800 });
    await waitFor('delayed job done', async () => (await runs(registry, { queue: name, job: 'later', outcome: 'completed', attempt: '1' })) === 1);
    const wait = (await metricValue(registry, 'parapet_job_wait_duration_seconds_sum', { queue: name, job: 'later' }))!;
    // Added 0.8 s before it was due; the wait counts only the time after it was due, however
    // late a busy machine started it: processedOn - (timestamp + 800 ms).
    const job = (await Job.fromId(queue, added.id!))!;
    expect(wait).toBeGreaterThanOrEqual(0);
    expect(wait).toBeCloseTo(Math.max(0, job.processedOn! - (job.timestamp + 800)) / 1000, 6);
  });

  it('records retrying attempts, then discarded when attempts are exhausted', async () => {
    const { name, queue, registry } = await setup(async () => {
      throw new Error('provider 503');
    });
    await queue.add('charge', {}, { attempts: 3 });
    await waitFor('discarded', async () => (await runs(registry, { queue: name, job: 'charge', outcome: 'discarded', attempt: '3' })) === 1);
    expect(await runs(registry, { queue: name, job: 'charge', outcome: 'retrying', attempt: '1' })).toBe(1);
    expect(await runs(registry, { queue: name, job: 'charge', outcome: 'retrying', attempt: '2' })).toBe(1);
    expect(await recordedRuns(registry, { outcome: 'failed' })).toEqual([]);
    // One wait observation per job (its first start), not one per attempt.
    expect(await metricValue(registry, 'parapet_job_wait_duration_seconds_count', { queue: name, job: 'charge' })).toBe(1);
  });

  it('records failed for a single-attempt job and for UnrecoverableError with attempts left', async () => {
    const { name, queue, registry } = await setup(async (job) => {
      if (job.name === 'fatal') throw new UnrecoverableError('bad card');
      throw new Error('nope');
    });
    await queue.add('once', {});
    await queue.add('fatal', {}, { attempts: 5 });
    await waitFor('two failures', async () => (await recordedRuns(registry, { queue: name, outcome: 'failed' })).length === 2);
    expect(await runs(registry, { queue: name, job: 'once', outcome: 'failed', attempt: '1' })).toBe(1);
    expect(await runs(registry, { queue: name, job: 'fatal', outcome: 'failed', attempt: '1' })).toBe(1);
    expect(await recordedRuns(registry, { outcome: 'retrying' })).toEqual([]);
  });

  it('bounds job names: declared names, _other for the rest, _unnamed for a job without a name', async () => {
    const { name, queue, registry, worker } = await setup(async () => undefined, { jobNames: ['invoice'] });
    await queue.add('invoice', {});
    await queue.add('invoice:customer-4711', {});
    await queue.add('', {});
    await queue.add('x'.repeat(10_000), {});
    await waitFor('4 runs', async () => (await recordedRuns(registry, { queue: name })).reduce((n, s) => n + s.value, 0) === 4);
    const jobs = (await recordedRuns(registry, { queue: name })).map((s) => [s.labels.job, s.value]);
    expect(Object.fromEntries(jobs)).toEqual({ invoice: 1, _other: 2, _unnamed: 1 });
    expect(worker.isRunning()).toBe(true);
  });

  it('maps names through a template function; a throwing template counts _other and an internal error', async () => {
    const { name, queue, registry } = await setup(async () => undefined, {
      jobNames: (job) => {
        if (job === 'explode') throw new Error('template bug');
        return job.split(':')[0];
      },
    });
    await queue.addBulk([{ name: 'report:1', data: {} }, { name: 'report:2', data: {} }, { name: 'explode', data: {} }]);
    await waitFor('3 runs', async () => (await recordedRuns(registry, { queue: name })).reduce((n, s) => n + s.value, 0) === 3);
    expect(await runs(registry, { queue: name, job: 'report', outcome: 'completed', attempt: '1' })).toBe(2);
    expect(await runs(registry, { queue: name, job: '_other', outcome: 'completed', attempt: '1' })).toBe(1);
    expect(await metricValue(registry, 'parapet_internal_errors_total', { component: 'bullmq.job_names' })).toBe(1);
  });

  it('survives a processor returning a value that cannot be serialized: counted, worker keeps going', async () => {
    const { name, queue, registry, worker } = await setup(async (job) => {
      if (job.name === 'circular') {
        const value: Record<string, unknown> = {};
        value.self = value;
        return value;
      }
      if (job.name === 'bigint') return { total: 10n };
      return 'fine';
    });
    await queue.add('circular', {});
    await queue.add('bigint', {});
    await queue.add('after', {});
    await waitFor('after completed', async () => (await runs(registry, { queue: name, job: 'after', outcome: 'completed', attempt: '1' })) === 1);
    // BullMQ cannot store those results, so the attempts fail; Parapet counts them, nothing crashes.
    expect(await runs(registry, { queue: name, job: 'circular', outcome: 'failed', attempt: '1' })).toBe(1);
    expect(await runs(registry, { queue: name, job: 'bigint', outcome: 'failed', attempt: '1' })).toBe(1);
    expect(worker.isRunning()).toBe(true);
  });

  it('counts a failure BullMQ reports without a job (stalled limit + removeOnFail) as _unknown', async () => {
    const { name, registry, worker } = await setup(async () => undefined);
    // BullMQ documents this call shape: the job was deleted before the event fired.
    worker.emit('failed', undefined, new Error('job stalled more than allowable limit'), 'active');
    expect(await runs(registry, { queue: name, job: '_unknown', outcome: 'failed', attempt: '1' })).toBe(1);
  });

  it('stops publishing after close()', async () => {
    const { name, queue, registry } = await setup(async () => undefined);
    await queue.add('a', {});
    await waitFor('first run', async () => (await runs(registry, { queue: name, job: 'a', outcome: 'completed', attempt: '1' })) === 1);
    const worker = workers[0]!;
    await handles.splice(0)[0]!.close();
    expect(worker.listenerCount('completed')).toBe(0);
    expect(worker.listenerCount('failed')).toBe(0);
    expect(worker.listenerCount('stalled')).toBe(0);
  });
});
