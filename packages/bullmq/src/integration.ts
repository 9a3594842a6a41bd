import type { Queue, QueueEvents, Worker } from 'bullmq';
import { closeable, type Closeable, type Integration, type IntegrationContext } from '@parapet/core/integration';
import * as z from 'zod';
import { BullmqOptionsError, parseBullmqOptions } from './errors.js';
import { validateJobNames, type JobNamesOption } from './job-names.js';
import { isQueueEvents, isWorker, listenerShape, queueList } from './options.js';
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

const WHERE = 'bullmq()';
const bullmqSchema = z.strictObject({
  workers: z
    .array(z.custom<Worker>(isWorker, { error: 'is not a BullMQ Worker (new Worker(name, processor, { connection }))' }), {
      error: 'must be an array of BullMQ Workers',
    })
    .optional(),
  queueEvents: z
    .array(z.custom<QueueEvents>(isQueueEvents, { error: 'is not a BullMQ QueueEvents (new QueueEvents(name, { connection }))' }), {
      error: 'must be an array of BullMQ QueueEvents',
    })
    .optional(),
  queues: queueList.optional(),
  ...listenerShape,
  sampleIntervalMs: z.number().optional(),
  sampleTimeoutMs: z.number().optional(),
});

function validate(options: BullmqOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new BullmqOptionsError(`${WHERE}: pass an options object, e.g. bullmq({ workers: [worker], queues: [queue] }).`);
  }
  parseBullmqOptions(bullmqSchema, options, WHERE);
  const { workers = [], queueEvents = [], queues = [] } = options;
  if (workers.length + queueEvents.length + queues.length === 0) {
    throw new BullmqOptionsError(`${WHERE}: nothing to instrument. Pass workers, queueEvents and/or queues.`);
  }
  const workerQueues = new Set(workers.map((w) => w.name));
  for (const e of queueEvents) {
    if (workerQueues.has(e.name)) {
      throw new BullmqOptionsError(
        `${WHERE}: queue "${e.name}" is in both workers and queueEvents, so every job would be counted twice. ` +
          'Instrument its workers where they run and use queueEvents only in processes without them.',
      );
    }
  }
  try {
    validateJobNames(options.jobNames, options.maxJobNames);
    if (queues.length) {
      validateSamplerOptions({
        ...(options.sampleIntervalMs !== undefined && { intervalMs: options.sampleIntervalMs }),
        ...(options.sampleTimeoutMs !== undefined && { timeoutMs: options.sampleTimeoutMs }),
      });
    }
  } catch (error) {
    if (error instanceof BullmqOptionsError) throw new BullmqOptionsError(`${WHERE}: ${error.message}`, { details: error.details });
    throw error;
  }
}

/**
 * The BullMQ integration for attach(): job runs from workers and queue events, queue gauges on
 * an interval. Every failure inside it is counted in parapet_internal_errors_total
 * (components `bullmq.worker`, `bullmq.queue_events`, `bullmq.sampler`, `bullmq.job_names`).
 * Its setup returns a Closeable; attach()'s `close()` closes it.
 */
export function bullmq(options: BullmqOptions): Integration {
  validate(options);
  const { workers = [], queueEvents = [], queues = [] } = options;
  return {
    name: 'bullmq',
    setup(ctx: IntegrationContext): Closeable {
      const onError = (component: string, error: unknown) => ctx.reportError(component, error);
      const naming = {
        ...(options.jobNames !== undefined && { jobNames: options.jobNames }),
        ...(options.maxJobNames !== undefined && { maxJobNames: options.maxJobNames }),
        ...(options.maxJobFetchesPerSecond !== undefined && { maxJobFetchesPerSecond: options.maxJobFetchesPerSecond }),
        onError,
      };
      const instrumented: Closeable[] = [];
      for (const worker of workers) instrumented.push(instrumentWorker(worker, naming));
      for (const events of queueEvents) {
        const queue = queues.find((q) => q.name === events.name);
        instrumented.push(instrumentQueueEvents(events, { ...naming, ...(queue && { queue }) }));
      }
      const sampler = queues.length
        ? startQueueSampler({
            queues,
            ...(options.sampleIntervalMs !== undefined && { intervalMs: options.sampleIntervalMs }),
            ...(options.sampleTimeoutMs !== undefined && { timeoutMs: options.sampleTimeoutMs }),
            onError,
          })
        : undefined;
      return closeable({}, async () => {
        for (const instrumentation of instrumented) await instrumentation.close();
        await sampler?.close();
      });
    },
  };
}
