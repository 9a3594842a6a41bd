import type { Queue, QueueEvents } from 'bullmq';
import { describeValue, UNKNOWN_VALUE, type JobOutcome } from '@parapet/core/integration';
import * as z from 'zod';
import { BullmqOptionsError, parseBullmqOptions, safeReport } from './errors.js';
import type { JobFields } from './job-run.js';
import { jobListenerKit, type JobListenerOptions } from './listeners.js';
import { errorReporter, isQueue, isQueueEvents, listenerShape } from './options.js';
import { instrumentation, type Instrumentation } from './worker.js';
import { jobRunsObserved, publishRun } from './publish-run.js';

/** `maxJobFetchesPerSecond` defaults to 50 here: past it, runs are counted as job="_unknown". */
export interface InstrumentQueueEventsOptions extends JobListenerOptions {
  /**
   * A Queue for the same queue name, used to read each finished job (one HGETALL) for its name,
   * run duration and wait time. QueueEvents' own connection is blocked on XREAD, so it cannot.
   * Without it, runs are counted with job="_unknown" and no timings.
   */
  queue?: Queue;
}

const COMPONENT = 'bullmq.queue_events';
const WHERE = 'instrumentQueueEvents()';
const queueEventsOptionsSchema = z.strictObject({
  ...listenerShape,
  onError: errorReporter.optional(),
  queue: z.custom<Queue>(isQueue, { error: 'must be a BullMQ Queue of the same name (new Queue(name, { connection }))' }).optional(),
});

/**
 * Publish `job.run` events from a QueueEvents stream, for processes that observe a queue but do
 * not run its workers. The stream has final outcomes only: completed, failed / discarded (a
 * `retries-exhausted` entry follows the failure when attempts ran out) and stalled. Retrying
 * attempts are not distinguishable in the stream; use instrumentWorker where workers run.
 */
export function instrumentQueueEvents(events: QueueEvents, options: InstrumentQueueEventsOptions = {}): Instrumentation {
  if (!isQueueEvents(events)) throw new BullmqOptionsError(`${WHERE}: the first argument must be a BullMQ QueueEvents, got ${describeValue(events)}.`);
  const parsed = parseBullmqOptions(queueEventsOptionsSchema, options, WHERE);
  const { report, nameOf, readJob, listen } = jobListenerKit({ options: parsed, component: COMPONENT, defaultFetchesPerSecond: 50 });
  const queueName = events.name;
  const reader = parsed.queue;
  let active = true;
  // Failures waiting one tick for a `retries-exhausted` entry from the same stream batch.
  const pendingFailures = new Map<string, { reason: string; exhaustedAt?: number }>();

  const read = (jobId: string) => readJob(reader, jobId) as Promise<JobFields | undefined>;

  const record = ({ jobId, outcome, attempt, reason }: { jobId: string; outcome: JobOutcome; attempt?: number | undefined; reason?: string }) => {
    read(jobId)
      .then((fields) => {
        if (!active || !jobRunsObserved()) return;
        publishRun({
          queue: queueName,
          job: fields ? nameOf(fields.name, queueName) : UNKNOWN_VALUE,
          outcome,
          fields,
          attempt: outcome === 'stalled' ? (fields ? (fields.attemptsMade ?? 0) + 1 : undefined) : (attempt ?? fields?.attemptsMade),
          error: reason,
          id: jobId,
        });
      })
      .catch((error: unknown) => safeReport(report, COMPONENT, error));
  };

  const completed = ({ jobId }: { jobId: string }) => {
    if (jobRunsObserved()) record({ jobId, outcome: 'completed' });
  };

  const failed = ({ jobId, failedReason }: { jobId: string; failedReason: string }) => {
    if (!jobRunsObserved()) return;
    pendingFailures.set(jobId, { reason: failedReason });
    setImmediate(() => {
      const pending = pendingFailures.get(jobId);
      pendingFailures.delete(jobId);
      if (!pending || !active) return;
      // Same rule as the worker path: exhausting a retry budget (> 1 attempt) is `discarded`.
      const exhausted = pending.exhaustedAt;
      const outcome: JobOutcome = exhausted !== undefined && exhausted > 1 ? 'discarded' : 'failed';
      record({ jobId, outcome, attempt: exhausted, reason: pending.reason });
    });
  };

  const exhausted = ({ jobId, attemptsMade }: { jobId: string; attemptsMade: string }) => {
    const pending = pendingFailures.get(jobId);
    if (pending) pending.exhaustedAt = Number(attemptsMade);
  };

  const stalled = ({ jobId }: { jobId: string }) => {
    if (jobRunsObserved()) record({ jobId, outcome: 'stalled' });
  };

  const unlisten = listen(events, { completed, failed, 'retries-exhausted': exhausted, stalled });
  return instrumentation(() => {
    active = false;
    pendingFailures.clear();
    unlisten();
  });
}
