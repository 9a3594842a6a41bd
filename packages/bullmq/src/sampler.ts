import type { Queue } from 'bullmq';
import { publishJobQueueSample } from '@parapet/core';
import { channelOf, closeable, MAX_TIMER_MS, type Closeable, type QueueSampleEvent, type QueueState } from '@parapet/core/integration';
import * as z from 'zod';
import { readySince, type JobFields } from './job-run.js';
import { BullmqOptionsError, ignoreErrors, parseBullmqOptions, safeReport, type ErrorReporter } from './errors.js';
import { errorReporter, queueList } from './options.js';

/** BullMQ state name → the `state` label (Prometheus-style underscores). */
const STATES: ReadonlyArray<readonly [string, QueueState]> = [
  ['waiting', 'waiting'], ['active', 'active'], ['delayed', 'delayed'], ['failed', 'failed'],
  ['completed', 'completed'], ['paused', 'paused'], ['prioritized', 'prioritized'], ['waiting-children', 'waiting_children'],
];
const BULLMQ_STATES = STATES.map(([s]) => s);

/**
 * Read one queue's sample. Redis cost, independent of queue size (bullmq 5 and 6):
 * 1. `getJobCounts(...)`: one script call (LLEN / ZCARD per state inside Redis);
 * 2. only when jobs wait: `getRanges(['waiting'], 0, 0, true)`, one script returning the oldest
 *    waiting job's id, then `getJob(id)`, one HGETALL for its timestamp and delay.
 * So 1 command per queue per sample when nothing waits, 3 when something does.
 */
export async function sampleQueue(queue: Queue, now = () => Date.now()): Promise<QueueSampleEvent> {
  const raw = (await queue.getJobCounts(...(BULLMQ_STATES as Parameters<Queue['getJobCounts']>))) as Record<string, number>;
  const counts: QueueSampleEvent['counts'] = {};
  for (const [bullmqState, label] of STATES) counts[label] = Number(raw[bullmqState] ?? 0);
  let oldestWaitingAgeSeconds = 0;
  if ((counts.waiting ?? 0) > 0) {
    // Ids only (getWaiting would also ship the job hashes out of the script, then read them again).
    const [oldestId] = await queue.getRanges(['waiting'], 0, 0, true);
    const oldest = oldestId ? await queue.getJob(oldestId) : undefined;
    if (oldest) {
      // A delayed job that became ready has waited since its scheduled time, not since it was added.
      oldestWaitingAgeSeconds = Math.max(0, now() - readySince(oldest as JobFields)) / 1000;
    }
  }
  return { queue: queue.name, counts, oldestWaitingAgeSeconds };
}

export interface QueueSamplerOptions {
  queues: readonly Queue[];
  /** Milliseconds between samples (default 15000: one Prometheus scrape). */
  intervalMs?: number;
  /** Give up on a sample after this long (default: the smaller of intervalMs and 5000). */
  timeoutMs?: number;
  onError?: ErrorReporter;
}

export interface QueueSampler extends Closeable {
  /** Sample every queue now (also what the interval does). Never rejects. */
  sampleNow(): Promise<void>;
  /** Stop sampling; resolves when the samples in flight have ended or timed out. Idempotent. */
  close(): Promise<void>;
  /** @deprecated Use `close()`. Removed in the next minor. */
  stop(): Promise<void>;
}

const COMPONENT = 'bullmq.sampler';
const samplerSchema = z.strictObject({
  queues: queueList,
  intervalMs: z.number().optional(),
  timeoutMs: z.number().optional(),
  onError: errorReporter.optional(),
});

/**
 * Throws BullmqOptionsError for unusable sampler timings; returns the effective ones. The shape of
 * the options is checked by the caller's schema.
 */
export function validateSamplerOptions(options: Pick<QueueSamplerOptions, 'intervalMs' | 'timeoutMs'>): { intervalMs: number; timeoutMs: number } {
  const intervalMs = options.intervalMs ?? 15_000;
  if (!(Number.isInteger(intervalMs) && intervalMs >= 10 && intervalMs <= MAX_TIMER_MS)) {
    throw new BullmqOptionsError(`intervalMs (sampleIntervalMs in bullmq()) must be a whole number of milliseconds of at least 10, got ${String(intervalMs)}.`);
  }
  const timeoutMs = options.timeoutMs ?? Math.min(intervalMs, 5_000);
  if (!(Number.isInteger(timeoutMs) && timeoutMs >= 1 && timeoutMs <= intervalMs)) {
    throw new BullmqOptionsError(`timeoutMs (sampleTimeoutMs in bullmq()) must be a whole number between 1 and the sample interval (${intervalMs}), got ${String(timeoutMs)}.`);
  }
  return { intervalMs, timeoutMs };
}

/**
 * Publish `job.queue_sample` for each queue every interval. A failing sample (Redis down, a
 * timeout) is reported and the gauges keep their last value; the next interval tries again, so
 * sampling resumes by itself when Redis is back. At most one sample per queue is in flight:
 * while Redis hangs, commands do not pile up in the client's offline queue.
 */
export function startQueueSampler(options: QueueSamplerOptions): QueueSampler {
  const parsed = parseBullmqOptions(samplerSchema, options, 'startQueueSampler()');
  const { intervalMs, timeoutMs } = validateSamplerOptions(parsed);
  const report = parsed.onError ?? ignoreErrors;
  const inFlight = new Map<Queue, Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const sampleOne = (queue: Queue): Promise<void> => {
    if (inFlight.has(queue)) {
      safeReport(report, COMPONENT, new Error(`queue "${queue.name}": previous sample still pending; skipped this one`));
      return Promise.resolve();
    }
    let timeout: NodeJS.Timeout | undefined;
    const sample = sampleQueue(queue);
    const timedOut = new Promise<never>((_, reject) => {
      timeout = setTimeout(() => reject(new Error(`queue "${queue.name}": sample timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    const run = Promise.race([sample, timedOut])
      .then((event) => {
        if (!stopped && channelOf('job.queue_sample').hasSubscribers) publishJobQueueSample(event);
      })
      .catch((error: unknown) => safeReport(report, COMPONENT, error))
      .finally(() => clearTimeout(timeout));
    // The slot frees when Redis answers (or fails), not at the timeout: that is what bounds the backlog.
    const slot = sample.then(() => undefined, () => undefined);
    inFlight.set(queue, slot);
    void slot.then(() => inFlight.delete(queue));
    return run;
  };

  const sampleNow = async () => {
    await Promise.all(parsed.queues.map(sampleOne));
  };

  // Sample now, then again one interval after each round has finished.
  const tick = () => {
    void sampleNow().finally(() => {
      if (!stopped) timer = setTimeout(tick, intervalMs).unref();
    });
  };
  tick();

  const sampler = closeable({ sampleNow }, async () => {
    stopped = true;
    clearTimeout(timer);
    // Wait for answers already on their way, but never longer than one timeout.
    const settle = Promise.all([...inFlight.values()]);
    await Promise.race([settle, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  });
  return Object.assign(sampler, { stop: sampler.close });
}
