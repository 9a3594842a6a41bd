import { publishJobRun } from '@parapet/core';
import { channelOf, type JobOutcome, type JobRunEvent } from '@parapet/core/integration';
import { reasonOf, runSeconds, waitSeconds, type JobFields } from './job-run.js';

/** True when a Parapet attachment listens: otherwise no payload is built at all. */
export const jobRunsObserved = (): boolean => channelOf('job.run').hasSubscribers;

interface RunFacts {
  queue: string;
  job: string;
  outcome: JobOutcome;
  /** The job as read after the outcome, when available. */
  fields?: JobFields | undefined;
  attempt?: number | undefined;
  error?: unknown;
  id?: string | undefined;
}

/** Build and publish one `job.run` event. Job ids go to refs (evidence), never labels. */
export function publishRun(facts: RunFacts): void {
  const { fields } = facts;
  const event: JobRunEvent = { queue: facts.queue, job: facts.job, outcome: facts.outcome };
  const attempt = facts.attempt ?? fields?.attemptsMade;
  if (typeof attempt === 'number' && attempt > 0) event.attempt = attempt;
  if (fields && facts.outcome !== 'stalled') {
    const run = runSeconds(fields);
    if (run !== undefined) event.durationSeconds = run;
    const wait = waitSeconds(fields);
    if (wait !== undefined) event.waitSeconds = wait;
  }
  if (facts.error !== undefined) {
    const reason = reasonOf(facts.error);
    if (reason !== undefined) event.reason = reason;
  }
  if (facts.id !== undefined) event.refs = { jobId: facts.id };
  publishJobRun(event);
}
