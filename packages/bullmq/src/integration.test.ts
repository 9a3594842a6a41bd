import type { Queue, QueueEvents, Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { attach, ParapetError } from '@parapet/core';
import { Registry } from 'prom-client';
import { BullmqOptionsError } from './errors.js';
import { bullmq } from './integration.js';
import { instrumentQueueEvents } from './queue-events.js';
import { startQueueSampler } from './sampler.js';
import { instrumentWorker } from './worker.js';

// Option checks run before anything touches Redis: stand-ins with the shape bullmq() checks suffice.
const emitter = { on() {}, off() {} };
const worker = { name: 'opts-q', ...emitter } as unknown as Worker;
const queue = { name: 'opts-q', getJobCounts: async () => ({}) } as unknown as Queue;
const events = { name: 'opts-other', ...emitter } as unknown as QueueEvents;

describe('bullmq() options', () => {
  it('is a named Parapet integration', () => {
    const integration = bullmq({ workers: [worker], queues: [queue], queueEvents: [events] });
    expect(integration.name).toBe('bullmq');
    expect(typeof integration.setup).toBe('function');
  });

  it.each([
    [undefined, /pass an options object/],
    [{}, /nothing to instrument/],
    [{ workers: worker }, /option "workers" must be an array, got an object/],
    [{ workers: [{}] }, /option "workers.0": is not a BullMQ Worker/],
    [{ queueEvents: ['q'] }, /option "queueEvents.0": is not a BullMQ QueueEvents/],
    [{ queues: [{ name: 'q' }] }, /option "queues.0": is not a BullMQ Queue/],
    [{ workers: [worker], jobNames: 'send-email' }, /option "jobNames": must be an array of job names or a function/],
    [{ workers: [worker], maxJobNames: -1 }, /option "maxJobNames": must be a whole number between 0 and 1000, got number -1/],
    [{ queues: [queue], sampleIntervalMs: 5 }, /sampleIntervalMs/],
    [{ queues: [queue], sampleIntervalMs: 1000, sampleTimeoutMs: 2000 }, /sampleTimeoutMs/],
    [{ workers: [worker], jobName: ['a'] }, /unknown option "jobName" \(did you mean "jobNames"\?\)/],
    [{ queues: [queue], sampleInterval: 1000 }, /unknown option "sampleInterval" \(did you mean "sampleIntervalMs"\?\)/],
  ])('rejects %j', (options, message) => {
    expect(() => bullmq(options as never)).toThrow(BullmqOptionsError);
    expect(() => bullmq(options as never)).toThrow(message);
  });

  it('raises ParapetErrors with code INVALID_OPTIONS', () => {
    try {
      bullmq({ workers: [worker], jobName: ['a'] } as never);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ParapetError);
      expect((error as ParapetError).code).toBe('INVALID_OPTIONS');
    }
  });
});

describe('lifecycle', () => {
  /** A stand-in emitter that counts its listeners. */
  const fakeEmitter = (name: string) => {
    const listeners = new Map<string, Set<unknown>>();
    return {
      name,
      on(event: string, listener: unknown) { (listeners.get(event) ?? listeners.set(event, new Set()).get(event)!).add(listener); },
      off(event: string, listener: unknown) { listeners.get(event)?.delete(listener); },
      count: () => [...listeners.values()].reduce((n, set) => n + set.size, 0),
    };
  };

  it('instrumentWorker and instrumentQueueEvents return Closeables; calling them still works (deprecated)', async () => {
    const w = fakeEmitter('life-q');
    const instrumented = instrumentWorker(w as unknown as Worker);
    expect(w.count()).toBe(3);
    await instrumented.close();
    expect(w.count()).toBe(0);
    const again = instrumentWorker(w as unknown as Worker);
    again(); // the 0.x shape
    expect(w.count()).toBe(0);
    const e = fakeEmitter('life-events');
    {
      await using observed = instrumentQueueEvents(e as unknown as QueueEvents);
      expect(e.count()).toBe(4);
      expect(typeof observed.close).toBe('function');
    }
    expect(e.count()).toBe(0);
  });

  it('instrumentWorker and instrumentQueueEvents validate their arguments', () => {
    expect(() => instrumentWorker({} as never)).toThrow(/instrumentWorker\(\): the first argument must be a BullMQ Worker/);
    expect(() => instrumentWorker(fakeEmitter('x') as never, { maxJobName: 5 } as never)).toThrow(/unknown option "maxJobName" \(did you mean "maxJobNames"\?\)/);
    expect(() => instrumentQueueEvents(fakeEmitter('x') as never, { queue: {} } as never)).toThrow(/option "queue": must be a BullMQ Queue/);
  });

  it('the integration sets up and closes with attach()', async () => {
    const w = fakeEmitter('attach-q');
    const parapet = attach({ registry: new Registry(), logger: { warn() {}, error() {} }, integrations: [bullmq({ workers: [w as unknown as Worker] })] });
    expect(w.count()).toBe(3);
    await parapet.close();
    expect(w.count()).toBe(0);
  });

  it('startQueueSampler validates its options and returns a Closeable', async () => {
    expect(() => startQueueSampler({ queues: [queue], interval: 100 } as never)).toThrow(/unknown option "interval" \(did you mean "intervalMs"\?\)/);
    const sampler = startQueueSampler({ queues: [queue], intervalMs: 60_000 });
    expect(sampler.stop).toBe(sampler.close);
    await sampler.close();
  });
});
