import { Job, type Worker } from 'bullmq';
import { ignoreErrors, safeReport, type ErrorReporter } from './errors.js';
import { FetchBudget } from './fetch-budget.js';
import { failureOutcome, type JobFields } from './job-run.js';
import { createJobNamer, DEFAULT_MAX_JOB_NAMES, UNKNOWN_JOB, validateJobNames, type JobNamesOption } from './job-names.js';
import { jobRunsObserved, publishRun } from './publish-run.js';

export interface InstrumentWorkerOptions {
  /** Bounded job-name labels: declared names or a template function. See JobNamesOption. */
  jobNames?: JobNamesOption;
  /** Without `jobNames`: how many distinct names to keep before using `_other` (default 50). */
  maxJobNames?: number;
  /** Stalled events carry only a job id; at most this many job reads per second for names (default 20). */
  maxJobFetchesPerSecond?: number;
  /** Where caught failures go. attach() passes its counter; standalone use drops them. */
  onError?: ErrorReporter;
}

type Listener = (...args: never[]) => void;
const COMPONENT = 'bullmq.worker';

/**
 * Listen to one in-process BullMQ Worker and publish a `job.run` event per attempt outcome:
 * completed, retrying, failed, discarded, and stalled (reported by whichever worker's stall
 * check found the job). Listeners never throw into BullMQ. Returns the function that removes them.
 */
export function instrumentWorker(worker: Worker, options: InstrumentWorkerOptions = {}): () => void {
  validateJobNames(options.jobNames, options.maxJobNames);
  const report = options.onError ?? ignoreErrors;
  const nameOf = createJobNamer(options.jobNames, options.maxJobNames ?? DEFAULT_MAX_JOB_NAMES, report);
  const budget = new FetchBudget(options.maxJobFetchesPerSecond ?? 20);
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
      if (!job) return publishRun({ queue, job: UNKNOWN_JOB, outcome: 'failed', error });
      const fields = job as JobFields;
      publishRun({ queue, job: nameOf(job.name, queue), outcome: failureOutcome(fields, error), fields, error, id: job.id });
    } catch (err) {
      safeReport(report, COMPONENT, err);
    }
  };

  const stalled = (jobId: string) => {
    if (!jobRunsObserved()) return;
    // The event has only the id; one bounded read gets the name. Counted either way.
    const read = budget.take() ? Job.fromId(worker, jobId) : Promise.resolve(undefined);
    read
      .catch((error: unknown) => {
        safeReport(report, COMPONENT, error);
        return undefined;
      })
      .then((job) => {
        if (!active || !jobRunsObserved()) return;
        const attempt = job ? (job.attemptsMade ?? 0) + 1 : undefined;
        publishRun({ queue, job: job ? nameOf(job.name, queue) : UNKNOWN_JOB, outcome: 'stalled', attempt, id: jobId });
      })
      .catch((error: unknown) => safeReport(report, COMPONENT, error));
  };

  const listeners: Array<[string, Listener]> = [
    ['completed', completed as Listener],
    ['failed', failed as Listener],
    ['stalled', stalled as Listener],
  ];
  const emitter = worker as unknown as { on(e: string, l: Listener): void; off(e: string, l: Listener): void };
  for (const [event, listener] of listeners) emitter.on(event, listener);
  return () => {
    active = false;
    for (const [event, listener] of listeners) emitter.off(event, listener);
  };
}
