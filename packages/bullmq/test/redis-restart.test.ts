import { attach, createMetricsHandler, type ParapetHandle } from '@parapet/core';
import { needs } from '@parapet/vitest-preset/services';
import { Queue, Worker } from 'bullmq';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { bullmq } from '../src/index.js';
import { metricValue, sleep, uniqueQueue, waitFor } from './helpers.js';
import { freePort, ThrowawayRedis } from './redis-server.js';

describe.skipIf(!(await needs('redis')))('Redis stopped and restarted under a running host', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const c of cleanup.splice(0).reverse()) await c().catch(() => {});
  });

  it('keeps /metrics serving, counts errors, throws nothing into the host, and resumes', async () => {
    const hostFailures: unknown[] = [];
    const onFailure = (error: unknown) => hostFailures.push(error);
    process.on('unhandledRejection', onFailure);
    process.on('uncaughtException', onFailure);
    cleanup.push(async () => {
      process.off('unhandledRejection', onFailure);
      process.off('uncaughtException', onFailure);
    });

    const redis = new ThrowawayRedis(await freePort());
    await redis.start();
    cleanup.push(() => redis.stop());
    // The host's own connection choices: reconnect quickly, queue commands while offline.
    const connection = { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null, retryStrategy: () => 100 };
    const name = uniqueQueue('restart');
    const queue = new Queue(name, { connection });
    const worker = new Worker(name, async () => 'ok', { connection });
    // BullMQ requires hosts to listen for 'error'; what Parapet adds must not need more than that.
    queue.on('error', () => {});
    worker.on('error', () => {});
    cleanup.push(() => queue.close());
    cleanup.push(() => worker.close(true));

    const registry = new Registry();
    const handle: ParapetHandle = attach({
      registry,
      logger: { warn() {}, error() {} },
      integrations: [bullmq({ workers: [worker], queues: [queue], sampleIntervalMs: 500, sampleTimeoutMs: 500 })],
    });
    cleanup.push(() => handle.close());
    const metrics = createMetricsHandler({ registry, public: true });
    const scrape = async () => {
      const response = await metrics(new Request('http://host/metrics'));
      return { status: response.status, body: await response.text() };
    };
    const completed = () => metricValue(registry, 'parapet_job_runs_total', { queue: name, job: 'before', outcome: 'completed', attempt: '1' });
    const samplerErrors = async () => (await metricValue(registry, 'parapet_internal_errors_total', { component: 'bullmq.sampler' })) ?? 0;

    await queue.add('before', {});
    await waitFor('job before the outage', async () => (await completed()) === 1);
    await waitFor('first sample', async () => (await metricValue(registry, 'parapet_queue_jobs', { queue: name, state: 'completed' })) === 1);
    // A sample may time out on a busy machine even while Redis is up: count from here.
    const errorsBefore = await samplerErrors();

    await redis.stop();
    const during: number[] = [];
    for (let i = 0; i < 6; i++) {
      await sleep(200);
      const { status, body } = await scrape();
      during.push(status);
      expect(body).toContain('parapet_job_runs_total');
    }
    expect(during.every((s) => s === 200)).toBe(true);
    await waitFor('sampler errors counted', async () => (await samplerErrors()) >= errorsBefore + 2);
    // Gauges keep their last known value while Redis is away.
    expect(await metricValue(registry, 'parapet_queue_jobs', { queue: name, state: 'completed' })).toBe(1);

    await redis.start(); // empty again: --save ''
    const errorsAtRestart = await samplerErrors();
    await queue.add('after', {});
    await queue.add('later', {}, { delay: 60_000 });
    await waitFor('job after the restart', async () =>
      (await metricValue(registry, 'parapet_job_runs_total', { queue: name, job: 'after', outcome: 'completed', attempt: '1' })) === 1, { timeoutMs: 15_000 });
    await waitFor('sampling resumed', async () => (await metricValue(registry, 'parapet_queue_jobs', { queue: name, state: 'delayed' })) === 1, { timeoutMs: 10_000 });
    // Once Redis answers again, samples keep succeeding: a later change shows up in the gauges
    // (an outcome, not a quiet time window in which no sample may fail on a busy machine).
    expect(await samplerErrors()).toBeGreaterThanOrEqual(errorsAtRestart);
    await queue.add('even-later', {}, { delay: 60_000 });
    await waitFor('sampling keeps succeeding', async () => (await metricValue(registry, 'parapet_queue_jobs', { queue: name, state: 'delayed' })) === 2, { timeoutMs: 10_000 });
    expect((await scrape()).status).toBe(200);
    expect(hostFailures).toEqual([]);
  });
});
