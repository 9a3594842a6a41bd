import type { JobOutcome } from '@parapet/core';

/** The fields of a BullMQ job this package reads (bullmq 5 and 6 both have them). */
export interface JobFields {
  name?: string;
  timestamp?: number;
  delay?: number;
  processedOn?: number;
  finishedOn?: number;
  attemptsMade?: number;
  /** bullmq ≥ 5.x: times the job was moved to active, including restarts after a stall. */
  attemptsStarted?: number;
  opts?: { attempts?: number; delay?: number };
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * When a job became ready to run: its enqueue time plus its delay. BullMQ resets `job.delay` to 0
 * once a delayed job is promoted, while `opts.delay` keeps the original, so take the larger.
 */
export function readySince(job: JobFields, enqueued = num(job.timestamp) ?? 0): number {
  return enqueued + Math.max(0, num(job.delay) ?? 0, num(job.opts?.delay) ?? 0);
}

/** Seconds the run took: processedOn → finishedOn (or now, for a retrying attempt that has no finishedOn). */
export function runSeconds(job: JobFields, now = Date.now()): number | undefined {
  const start = num(job.processedOn);
  if (start === undefined) return undefined;
  const end = num(job.finishedOn) ?? now;
  return Math.max(0, end - start) / 1000;
}

/**
 * Seconds from enqueue, or the scheduled time (timestamp + delay) for delayed and scheduler
 * jobs, until a worker started it. Only for the job's first start: a retry or a restart after
 * a stall would otherwise count earlier runs and backoff as waiting.
 */
export function waitSeconds(job: JobFields): number | undefined {
  const enqueued = num(job.timestamp);
  const start = num(job.processedOn);
  if (enqueued === undefined || start === undefined) return undefined;
  const starts = num(job.attemptsStarted);
  if (starts !== undefined ? starts > 1 : (num(job.attemptsMade) ?? 0) > 1) return undefined;
  return Math.max(0, start - readySince(job, enqueued)) / 1000;
}

const isUnrecoverable = (error: unknown) => typeof error === 'object' && error !== null && (error as Error).name === 'UnrecoverableError';

/**
 * Outcome of a failed attempt, read after BullMQ's moveToFailed (attemptsMade already counts
 * this attempt): `retrying` when attempts remain; `discarded` when a retry budget (attempts > 1)
 * is used up; `failed` for any other final failure (single-attempt jobs, UnrecoverableError,
 * a backoff that gave up).
 */
export function failureOutcome(job: JobFields, error: unknown): JobOutcome {
  const attempts = Math.max(1, num(job.opts?.attempts) ?? 1);
  const made = num(job.attemptsMade) ?? 1;
  // finishedOn is only written when the job moves to the failed set; its absence means a retry was scheduled.
  const final = isUnrecoverable(error) || made >= attempts || num(job.finishedOn) !== undefined;
  if (!final) return 'retrying';
  return attempts > 1 && made >= attempts ? 'discarded' : 'failed';
}

/** Short failure text for evidence and logs; never a label. */
export function reasonOf(error: unknown): string | undefined {
  try {
    const text = error instanceof Error ? error.message : typeof error === 'string' ? error : undefined;
    return text === undefined ? undefined : text.length > 256 ? `${text.slice(0, 255)}…` : text;
  } catch {
    return undefined;
  }
}
