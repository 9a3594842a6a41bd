import type { Queue, QueueEvents, Worker } from 'bullmq';
import type { Integration, IntegrationContext, Teardown } from '@parapet/core';
import { BullmqOptionsError } from './errors.js';
import { validateJobNames, type JobNamesOption } from './job-names.js';
import { instrumentQueueEvents } from './queue-events.js';
import { startQueueSampler, validateSamplerOptions } from './sampler.js';
import { instrumentWorker } from './worker.js';

export interface BullmqOptions {
  /** In-process workers: every attempt's outcome, run duration and wait time. */
  workers?: readonly Worker[];
  /**
   * For processes that observe queues without running their workers. A queue's name must not
   * also appear in `workers` (it would be counted twice). Jobs are read through the Queue of the
   * same name in `queues`, when there is one.
   */
  queueEvents?: readonly QueueEvents[];
  /** Queues whose state gauges are sampled every `sampleIntervalMs`. */
  queues?: readonly Queue[];
  jobNames?: JobNamesOption;
  maxJobNames?: number;
  /** Default 15000. */
  sampleIntervalMs?: number;
  /** Default: the smaller of sampleIntervalMs and 5000. */
  sampleTimeoutMs?: number;
  /** Job reads per second for stalled and observed events (default 20 per worker, 50 per QueueEvents). */
  maxJobFetchesPerSecond?: number;
}

function validate(options: BullmqOptions): void {
  if (typeof options !== 'object' || options === null) throw new BullmqOptionsError('bullmq(): pass an options object, e.g. bullmq({ workers: [worker], queues: [queue] }).');
  const lists = { workers: options.workers, queueEvents: options.queueEvents, queues: options.queues };
  for (const [key, value] of Object.entries(lists)) {
    if (value !== undefined && !Array.isArray(value)) throw new BullmqOptionsError(`bullmq(): ${key} must be an array.`);
  }
  const { workers = [], queueEvents = [], queues = [] } = options;
  if (workers.length + queueEvents.length + queues.length === 0) {
    throw new BullmqOptionsError('bullmq(): nothing to instrument. Pass workers, queueEvents and/or queues.');
  }
  workers.forEach((w, i) => {
    if (typeof w?.on !== 'function' || typeof w?.name !== 'string') throw new BullmqOptionsError(`bullmq(): workers[${i}] is not a BullMQ Worker.`);
  });
  queueEvents.forEach((e, i) => {
    if (typeof e?.on !== 'function' || typeof e?.name !== 'string') throw new BullmqOptionsError(`bullmq(): queueEvents[${i}] is not a BullMQ QueueEvents.`);
  });
  const workerQueues = new Set(workers.map((w) => w.name));
  for (const e of queueEvents) {
    if (workerQueues.has(e.name)) {
      throw new BullmqOptionsError(
        `bullmq(): queue "${e.name}" is in both workers and queueEvents, so every job would be counted twice. ` +
          'Instrument its workers where they run and use queueEvents only in processes without them.',
      );
    }
  }
  validateJobNames(options.jobNames, options.maxJobNames);
  if (queues.length) {
    validateSamplerOptions({
      queues,
      ...(options.sampleIntervalMs !== undefined && { intervalMs: options.sampleIntervalMs }),
      ...(options.sampleTimeoutMs !== undefined && { timeoutMs: options.sampleTimeoutMs }),
    });
  }
}

/**
 * The BullMQ integration for attach(): job runs from workers and queue events, queue gauges on
 * an interval. Every failure inside it is counted in parapet_internal_errors_total
 * (components `bullmq.worker`, `bullmq.queue_events`, `bullmq.sampler`, `bullmq.job_names`).
 */
export function bullmq(options: BullmqOptions): Integration {
  validate(options);
  const { workers = [], queueEvents = [], queues = [] } = options;
  return {
    name: 'bullmq',
    setup(ctx: IntegrationContext): Teardown {
      const onError = (component: string, error: unknown) => ctx.reportError(component, error);
      const naming = {
        ...(options.jobNames !== undefined && { jobNames: options.jobNames }),
        ...(options.maxJobNames !== undefined && { maxJobNames: options.maxJobNames }),
        ...(options.maxJobFetchesPerSecond !== undefined && { maxJobFetchesPerSecond: options.maxJobFetchesPerSecond }),
        onError,
      };
      const undo: Array<() => void> = [];
      for (const worker of workers) undo.push(instrumentWorker(worker, naming));
      for (const events of queueEvents) {
        const queue = queues.find((q) => q.name === events.name);
        undo.push(instrumentQueueEvents(events, { ...naming, ...(queue && { queue }) }));
      }
      const sampler = queues.length
        ? startQueueSampler({
            queues,
            ...(options.sampleIntervalMs !== undefined && { intervalMs: options.sampleIntervalMs }),
            ...(options.sampleTimeoutMs !== undefined && { timeoutMs: options.sampleTimeoutMs }),
            onError,
          })
        : undefined;
      return async () => {
        for (const u of undo) u();
        await sampler?.stop();
      };
    },
  };
}
