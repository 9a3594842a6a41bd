import { attach, type ParapetHandle } from '@parapet/core';
import { needs, redisUrl } from '@parapet/vitest-preset/services';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { bullmq, sampleQueue } from '../src/index.js';
import { connectionFor, metricValue, obliterate, uniqueQueue, waitFor } from './helpers.js';

const connection = connectionFor(redisUrl);

describe.skipIf(!(await needs('redis')))('queue gauges (real Redis)', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  /** A queue in a known state: 2 active (held), 3 waiting, 2 delayed, 1 failed, 1 completed. */
  async function knownState() {
    const name = uniqueQueue('gauges');
    const queue = new Queue(name, { connection });
    cleanup.push(() => obliterate(queue));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const worker = new Worker(
      name,
      async (job) => {
        if (job.name === 'fail') throw new Error('x');
        if (job.name === 'hold') await held;
      },
      { connection, concurrency: 2, autorun: false },
    );
    cleanup.push(async () => {
      release();
      await worker.close(true);
    });
    await queue.add('ok', {});
    await queue.add('fail', {});
    await queue.add('hold', {});
    await queue.add('hold', {});
    void worker.run();
    await waitFor('2 held, 1 failed, 1 completed', async () => {
      const c = await queue.getJobCounts('active', 'failed', 'completed');
      return c.active === 2 && c.failed === 1 && c.completed === 1;
    });
    // Now nothing more can start: the worker's two slots are held.
    await queue.add('waiting', { n: 1 }, { timestamp: Date.now() - 42_000 } as never);
    await queue.add('waiting', { n: 2 });
    await queue.add('waiting', { n: 3 });
    await queue.add('later', {}, { delay: 60_000 });
    await queue.add('later', {}, { delay: 60_000 });
    return { name, queue };
  }

  it('sampleQueue reports the true counts and the age of the oldest waiting job', async () => {
    const { name, queue } = await knownState();
    const truth = await queue.getJobCounts();
    const sample = await sampleQueue(queue);
    expect(sample.queue).toBe(name);
    expect(sample.counts).toMatchObject({ waiting: 3, active: 2, delayed: 2, failed: 1, completed: 1, prioritized: 0, waiting_children: 0 });
    expect(sample.counts.waiting).toBe(truth.waiting);
    expect(sample.counts.delayed).toBe(truth.delayed);
    // The oldest waiting job was back-dated by 42 s.
    expect(sample.oldestWaitingAgeSeconds).toBeGreaterThanOrEqual(42);
    expect(sample.oldestWaitingAgeSeconds).toBeLessThan(50);
  });

  it('publishes the gauges on the interval through attach(), and tracks changes', async () => {
    const { name, queue } = await knownState();
    const registry = new Registry();
    const handle: ParapetHandle = attach({ registry, integrations: [bullmq({ queues: [queue], sampleIntervalMs: 100 })] });
    cleanup.push(() => handle.close());
    const gauge = (state: string) => metricValue(registry, 'parapet_queue_jobs', { queue: name, state });
    await waitFor('first sample', async () => (await gauge('waiting')) === 3);
    expect(await gauge('active')).toBe(2);
    expect(await gauge('delayed')).toBe(2);
    expect(await gauge('failed')).toBe(1);
    expect((await metricValue(registry, 'parapet_queue_oldest_waiting_age_seconds', { queue: name }))!).toBeGreaterThanOrEqual(42);

    await queue.drain(true); // removes the waiting and delayed jobs
    await waitFor('drained sample', async () => (await gauge('waiting')) === 0 && (await gauge('delayed')) === 0);
    expect(await metricValue(registry, 'parapet_queue_oldest_waiting_age_seconds', { queue: name })).toBe(0);
  });

  it('costs a fixed number of Redis commands per sample, whatever the queue size', async () => {
    const { queue } = await knownState();
    await queue.addBulk(Array.from({ length: 500 }, (_, i) => ({ name: 'bulk', data: { i } })));
    const watcher = new Redis(redisUrl);
    const monitor = await watcher.monitor();
    const marker = new Redis(redisUrl);
    const commands: string[] = [];
    const markers = new Set<string>();
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      // Count what clients send, not what scripts run inside Redis.
      if (source === 'lua' || !args.some((a) => String(a).includes(queue.name))) return;
      const command = String(args[0]).toLowerCase();
      if (command === 'echo') return void markers.add(String(args[1]));
      commands.push(command.startsWith('eval') ? 'script' : command);
    });
    // MONITOR shows commands in the order Redis ran them: once a marker sent after the action
    // shows up, every command of the action has shown up too. No time windows.
    let markerCount = 0;
    const flush = async () => {
      const id = `${queue.name}:marker:${markerCount++}`;
      await marker.echo(id);
      await waitFor(`MONITOR to show ${id}`, () => markers.has(id));
    };
    const observe = async (action: () => Promise<unknown>) => {
      await flush();
      commands.length = 0;
      await action();
      await flush();
      return [...commands];
    };
    try {
      // getJobCounts (one script), the oldest waiting id (one script), its hash (one HGETALL).
      expect(await observe(() => sampleQueue(queue))).toEqual(['script', 'script', 'hgetall']);
      await queue.drain(true);
      // With nothing waiting, the count script is the whole sample.
      expect(await observe(() => sampleQueue(queue))).toEqual(['script']);
    } finally {
      monitor.disconnect();
      watcher.disconnect();
      marker.disconnect();
    }
  });
});
