import { Job, type Queue, type QueueEvents } from 'bullmq';
import type { JobOutcome } from '@parapet/core';
import { ignoreErrors, safeReport, type ErrorReporter } from './errors.js';
import { FetchBudget } from './fetch-budget.js';
import { createJobNamer, DEFAULT_MAX_JOB_NAMES, UNKNOWN_JOB, validateJobNames, type JobNamesOption } from './job-names.js';
import type { JobFields } from './job-run.js';
import { jobRunsObserved, publishRun } from './publish-run.js';

export interface InstrumentQueueEventsOptions {
  /**
   * A Queue for the same queue name, used to read each finished job (one HGETALL) for its name,
   * run duration and wait time. QueueEvents' own connection is blocked on XREAD, so it cannot.
   * Without it, runs are counted with job="_unknown" and no timings.
   */
  queue?: Queue;
  jobNames?: JobNamesOption;
  maxJobNames?: number;
  /** Cap on job reads per second (default 50). Past it, runs are counted as job="_unknown". */
  maxJobFetchesPerSecond?: number;
  onError?: ErrorReporter;
}

type Listener = (...args: never[]) => void;
const COMPONENT = 'bullmq.queue_events';

/**
 * Publish `job.run` events from a QueueEvents stream, for processes that observe a queue but do
 * not run its workers. The stream has final outcomes only: completed, failed / discarded (a
 * `retries-exhausted` entry follows the failure when attempts ran out) and stalled. Retrying
 * attempts are not distinguishable in the stream; use instrumentWorker where workers run.
 */
export function instrumentQueueEvents(events: QueueEvents, options: InstrumentQueueEventsOptions = {}): () => void {
  validateJobNames(options.jobNames, options.maxJobNames);
  const report = options.onError ?? ignoreErrors;
  const nameOf = createJobNamer(options.jobNames, options.maxJobNames ?? DEFAULT_MAX_JOB_NAMES, report);
  const budget = new FetchBudget(options.maxJobFetchesPerSecond ?? 50);
  const queueName = events.name;
  const reader = options.queue;
  let active = true;
  // Failures waiting one tick for a `retries-exhausted` entry from the same stream batch.
  const pendingFailures = new Map<string, { reason: string; exhaustedAt?: number }>();

  const read = (jobId: string): Promise<JobFields | undefined> => {
    if (!reader || !budget.take()) return Promise.resolve(undefined);
    return Job.fromId(reader, jobId).then(
      (job) => job as JobFields | undefined,
      (error: unknown) => {
        safeReport(report, COMPONENT, error);
        return undefined;
      },
    );
  };

  const record = (jobId: string, outcome: JobOutcome, attempt: number | undefined, reason?: string) => {
    read(jobId)
      .then((fields) => {
        if (!active || !jobRunsObserved()) return;
        publishRun({
          queue: queueName,
          job: fields ? nameOf(fields.name, queueName) : UNKNOWN_JOB,
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
    if (jobRunsObserved()) record(jobId, 'completed', undefined);
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
      record(jobId, outcome, exhausted, pending.reason);
    });
  };

  const exhausted = ({ jobId, attemptsMade }: { jobId: string; attemptsMade: string }) => {
    const pending = pendingFailures.get(jobId);
    if (pending) pending.exhaustedAt = Number(attemptsMade);
  };

  const stalled = ({ jobId }: { jobId: string }) => {
    if (jobRunsObserved()) record(jobId, 'stalled', undefined);
  };

  const listeners: Array<[string, Listener]> = [
    ['completed', completed as Listener],
    ['failed', failed as Listener],
    ['retries-exhausted', exhausted as Listener],
    ['stalled', stalled as Listener],
  ];
  const emitter = events as unknown as { on(e: string, l: Listener): void; off(e: string, l: Listener): void };
  for (const [event, listener] of listeners) emitter.on(event, listener);
  return () => {
    active = false;
    pendingFailures.clear();
    for (const [event, listener] of listeners) emitter.off(event, listener);
  };
}
