import { describe, expect, it } from 'vitest';
import { failureOutcome, readySince, runSeconds, waitSeconds } from './job-run.js';

const unrecoverable = Object.assign(new Error('bad input'), { name: 'UnrecoverableError' });

describe('failureOutcome (read after BullMQ counted the attempt)', () => {
  it.each([
    ['attempts left', { attemptsMade: 1, opts: { attempts: 3 } }, new Error('x'), 'retrying'],
    ['last attempt of several', { attemptsMade: 3, opts: { attempts: 3 } }, new Error('x'), 'discarded'],
    ['single-attempt job', { attemptsMade: 1, opts: {} }, new Error('x'), 'failed'],
    ['UnrecoverableError with attempts left', { attemptsMade: 1, opts: { attempts: 5 } }, unrecoverable, 'failed'],
    ['backoff gave up (finishedOn written)', { attemptsMade: 2, finishedOn: 1, opts: { attempts: 5 } }, new Error('x'), 'failed'],
  ] as const)('%s → %s', (_why, job, error, outcome) => {
    expect(failureOutcome(job, error)).toBe(outcome);
  });
});

describe('timings', () => {
  it('run duration is processedOn → finishedOn, or → now while a retry is pending', () => {
    expect(runSeconds({ processedOn: 1_000, finishedOn: 3_500 })).toBe(2.5);
    expect(runSeconds({ processedOn: 1_000 }, 2_000)).toBe(1);
    expect(runSeconds({})).toBeUndefined();
  });

  it('wait is measured from the scheduled time, only on the first start', () => {
    expect(waitSeconds({ timestamp: 1_000, processedOn: 1_500, attemptsStarted: 1 })).toBe(0.5);
    // delayed: BullMQ resets job.delay after promotion, opts.delay keeps the schedule.
    expect(waitSeconds({ timestamp: 1_000, delay: 0, opts: { delay: 10_000 }, processedOn: 11_250, attemptsStarted: 1 })).toBe(0.25);
    expect(waitSeconds({ timestamp: 1_000, processedOn: 9_000, attemptsStarted: 2 })).toBeUndefined();
    expect(waitSeconds({ timestamp: 1_000, processedOn: 9_000, attemptsMade: 2 })).toBeUndefined();
    // Clock skew between hosts never yields a negative wait.
    expect(waitSeconds({ timestamp: 5_000, processedOn: 4_000, attemptsStarted: 1 })).toBe(0);
    expect(readySince({ timestamp: 100, delay: 50 })).toBe(150);
  });
});
