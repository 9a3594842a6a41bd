import { jobRunDuration, jobRuns, jobWaitDuration } from '../catalog/catalog.js';
import { attemptBucket } from '../catalog/normalize.js';
import { ATTEMPT_BUCKETS, JOB_OUTCOMES } from '../catalog/values.js';
import type { JobRunEvent } from '../events/types.js';
import type { CounterChild, HistogramChild } from '../metrics/sink.js';
import type { MetricsRuntime } from '../metrics/runtime.js';
import { secondsObserver } from './observe.js';

const OUTCOME_INDEX = new Map<string, number>(JOB_OUTCOMES.map((o, i) => [o, i]));
const ATTEMPT_INDEX = new Map<string, number>(ATTEMPT_BUCKETS.map((a, i) => [a, i]));

/** Children of one (queue, job): runs per outcome × attempt bucket, durations per outcome, one wait. */
interface JobChildren {
  runs: (CounterChild | undefined)[];
  durations: (HistogramChild | undefined)[];
  wait: HistogramChild | undefined;
}

/**
 * Job runs → run counter, run-duration and wait histograms. Children are resolved once per
 * (queue, job) and then indexed by small integers, so a busy worker pays two Map lookups.
 */
export function jobRecorder(rt: MetricsRuntime) {
  const runs = rt.counter(jobRuns);
  const duration = rt.histogram(jobRunDuration);
  const wait = rt.histogram(jobWaitDuration);
  const byJob = new Map<string, Map<string, JobChildren>>();
  const limit = runs.maxSeries;
  const observeRun = secondsObserver({ metrics: rt, family: 'job.run', field: 'durationSeconds' });
  const observeWait = secondsObserver({ metrics: rt, family: 'job.run', field: 'waitSeconds' });

  function childrenOf(queue: string, job: string): JobChildren {
    let perQueue = byJob.get(queue);
    if (perQueue === undefined) {
      perQueue = new Map();
      if (byJob.size < limit) byJob.set(queue, perQueue);
    }
    let children = perQueue.get(job);
    if (children === undefined) {
      children = { runs: [], durations: [], wait: undefined };
      if (perQueue.size < limit) perQueue.set(job, children);
    }
    return children;
  }

  return (e: JobRunEvent): void => {
    const children = childrenOf(e.queue, e.job);
    const outcome = OUTCOME_INDEX.get(e.outcome) ?? JOB_OUTCOMES.length;
    const attempt = attemptBucket(e.attempt);
    const slot = outcome * ATTEMPT_BUCKETS.length + ATTEMPT_INDEX.get(attempt)!;
    const counter = (children.runs[slot] ??= runs.labels({ queue: e.queue, job: e.job, outcome: e.outcome, attempt }));
    counter.inc(1);
    observeRun(e.durationSeconds, () => (children.durations[outcome] ??= duration.labels({ queue: e.queue, job: e.job, outcome: e.outcome })), e.traceId);
    observeWait(e.waitSeconds, () => (children.wait ??= wait.labels({ queue: e.queue, job: e.job })), e.traceId);
  };
}
