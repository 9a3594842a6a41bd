import type { Job, Worker } from 'bullmq';
import { closeable, describeValue, UNKNOWN_VALUE, type Closeable } from '@parapet/core/integration';
import * as z from 'zod';
import { BullmqOptionsError, parseBullmqOptions, safeReport } from './errors.js';
import { failureOutcome, type JobFields } from './job-run.js';
import { jobListenerKit, type JobListenerOptions } from './listeners.js';
import { errorReporter, isWorker, listenerShape } from './options.js';
import { jobRunsObserved, publishRun } from './publish-run.js';

/** Stalled events carry only a job id: at most `maxJobFetchesPerSecond` reads for names (default 20). */
export type InstrumentWorkerOptions = JobListenerOptions;

const COMPONENT = 'bullmq.worker';
const WHERE = 'instrumentWorker()';
const workerOptionsSchema = z.strictObject({ ...listenerShape, onError: errorReporter.optional() });

/**
 * What instrumentWorker and instrumentQueueEvents return: a Closeable that removes the listeners.
 * Calling it as a function still works (the 0.x shape) but is deprecated: use `close()`.
 */
export type Instrumentation = (() => void) & Closeable;

/** @internal Wrap a synchronous undo as an Instrumentation. */
export function instrumentation(undo: () => void): Instrumentation {
  let undone = false;
  const once = () => {
    if (undone) return;
    undone = true;
    undo();
  };
  return closeable(() => once(), once);
}

/**
 * Listen to one in-process BullMQ Worker and publish a `job.run` event per attempt outcome:
 * completed, retrying, failed, discarded, and stalled (reported by whichever worker's stall
 * check found the job). Listeners never throw into BullMQ. Returns a Closeable whose `close()`
 * removes them.
 */
export function instrumentWorker(worker: Worker, options: InstrumentWorkerOptions = {}): Instrumentation {
  if (!isWorker(worker)) throw new BullmqOptionsError(`${WHERE}: the first argument must be a BullMQ Worker, got ${describeValue(worker)}.`);
  const parsed = parseBullmqOptions(workerOptionsSchema, options, WHERE);
  const { report, nameOf, readJob, listen } = jobListenerKit({ options: parsed, component: COMPONENT, defaultFetchesPerSecond: 20 });
  const queue = worker.name;
  let active = true;

  const completed = (job: Job) => {
    if (!jobRunsObserved()) return;
    try {
      publishRun({ queue, job: nameOf(job.name, queue), outcome: 'completed', fields: job as JobFields, id: job.id });
    } catch (error) {
      safeReport(report, COMPONENT, error);
    }
  };

  const failed = (job: Job | undefined, error: Error) => {
    if (!jobRunsObserved()) return;
    try {
      // BullMQ passes no job when a stalled job hit its limit and removeOnFail deleted it.
      if (!job) return publishRun({ queue, job: UNKNOWN_VALUE, outcome: 'failed', error });
      const fields = job as JobFields;
      publishRun({ queue, job: nameOf(job.name, queue), outcome: failureOutcome(fields, error), fields, error, id: job.id });
    } catch (err) {
      safeReport(report, COMPONENT, err);
    }
  };

  const stalled = (jobId: string) => {
    if (!jobRunsObserved()) return;
    // The event has only the id; one bounded read gets the name. Counted either way.
    readJob(worker, jobId)
      .then((job) => {
        if (!active || !jobRunsObserved()) return;
        const attempt = job ? (job.attemptsMade ?? 0) + 1 : undefined;
        publishRun({ queue, job: job ? nameOf(job.name, queue) : UNKNOWN_VALUE, outcome: 'stalled', attempt, id: jobId });
      })
      .catch((error: unknown) => safeReport(report, COMPONENT, error));
  };

  const unlisten = listen(worker, { completed, failed, stalled });
  return instrumentation(() => {
    active = false;
    unlisten();
  });
}
