import type { Queue, QueueEvents, Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { BullmqOptionsError } from './errors.js';
import { bullmq } from './integration.js';

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
    [{ workers: worker }, /workers must be an array/],
    [{ workers: [{}] }, /workers\[0\] is not a BullMQ Worker/],
    [{ queueEvents: ['q'] }, /queueEvents\[0\] is not a BullMQ QueueEvents/],
    [{ queues: [{ name: 'q' }] }, /array of BullMQ Queue instances/],
    [{ workers: [worker], jobNames: 'send-email' }, /jobNames must be/],
    [{ queues: [queue], sampleIntervalMs: 5 }, /sampleIntervalMs/],
    [{ queues: [queue], sampleIntervalMs: 1000, sampleTimeoutMs: 2000 }, /sampleTimeoutMs/],
  ])('rejects %j', (options, message) => {
    expect(() => bullmq(options as never)).toThrow(BullmqOptionsError);
    expect(() => bullmq(options as never)).toThrow(message);
  });
});
