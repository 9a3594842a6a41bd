import { Job } from 'bullmq';
import { ignoreErrors, safeReport, type ErrorReporter } from './errors.js';
import { FetchBudget } from './fetch-budget.js';
import { createJobNamer, DEFAULT_MAX_JOB_NAMES, validateJobNames, type JobNamesOption } from './job-names.js';

/** Options shared by the two event sources (in-process Worker, QueueEvents stream). */
export interface JobListenerOptions {
  /** Bounded job-name labels: declared names or a template function. See JobNamesOption. */
  jobNames?: JobNamesOption;
  /** Without `jobNames`: how many distinct names to keep before using `_other` (default 50). */
  maxJobNames?: number;
  /** Cap on job reads per second for events that carry only an id. */
  maxJobFetchesPerSecond?: number;
  /** Where caught failures go. attach() passes its counter; standalone use drops them. */
  onError?: ErrorReporter;
}

/** What `Job.fromId` reads through: a Queue or a Worker. */
type JobReader = Parameters<typeof Job.fromId>[0];
type Listener = (...args: never[]) => void;
interface Emitter {
  on(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
}

interface JobListenerArgs {
  options: JobListenerOptions;
  /** Component id for reported failures (`bullmq.worker`, `bullmq.queue_events`). */
  component: string;
  defaultFetchesPerSecond: number;
}

/**
 * What both event sources set up the same way: validated job naming, a reporter that never
 * throws, a budgeted job read (one HGETALL, failures reported as `component`), and listeners
 * that come off again.
 */
export function jobListenerKit({ options, component, defaultFetchesPerSecond }: JobListenerArgs) {
  validateJobNames(options.jobNames, options.maxJobNames);
  const report = options.onError ?? ignoreErrors;
  const nameOf = createJobNamer(options.jobNames, options.maxJobNames ?? DEFAULT_MAX_JOB_NAMES, report);
  const budget = new FetchBudget(options.maxJobFetchesPerSecond ?? defaultFetchesPerSecond);

  /** The job, or undefined when there is no reader, the budget is spent or the read failed. */
  const readJob = (reader: JobReader | undefined, jobId: string): Promise<Job | undefined> => {
    if (!reader || !budget.take()) return Promise.resolve(undefined);
    return Job.fromId(reader, jobId).then(
      (job) => job,
      (error: unknown) => {
        safeReport(report, component, error);
        return undefined;
      },
    );
  };

  /** Attach listeners; the returned function removes them. */
  const listen = (emitter: unknown, listeners: Record<string, Listener>): (() => void) => {
    const e = emitter as Emitter;
    for (const [event, listener] of Object.entries(listeners)) e.on(event, listener);
    return () => {
      for (const [event, listener] of Object.entries(listeners)) e.off(event, listener);
    };
  };

  return { report, nameOf, readJob, listen };
}
