import type { Queue, QueueEvents, Worker } from 'bullmq';
import { describeValue, MAX_TIMER_MS } from '@parapet/core/integration';
import * as z from 'zod';
import type { ErrorReporter } from './errors.js';
import type { JobNamesOption } from './job-names.js';

/** Option schemas shared by this package's public functions (validated with parseBullmqOptions). */

const isFunction = (value: unknown): boolean => typeof value === 'function';
const hasMethods = (value: unknown, ...methods: string[]): boolean =>
  typeof value === 'object' && value !== null && methods.every((m) => isFunction((value as Record<string, unknown>)[m]));

export const isWorker = (value: unknown): value is Worker => hasMethods(value, 'on', 'off') && typeof (value as Worker).name === 'string';
export const isQueueEvents = (value: unknown): value is QueueEvents => isWorker(value);
export const isQueue = (value: unknown): value is Queue => hasMethods(value, 'getJobCounts') && typeof (value as Queue).name === 'string';

/** A whole number of milliseconds in [min, setTimeout's ceiling]. */
export const milliseconds = (min: number) =>
  z.custom<number>((v) => Number.isInteger(v) && (v as number) >= min && (v as number) <= MAX_TIMER_MS, {
    error: (issue) => `must be a whole number of milliseconds of at least ${min}, got ${describeValue(issue.input)}`,
  });

export const errorReporter = z.custom<ErrorReporter>(isFunction, { error: 'must be a function (component, error) => void' });

/** Options every job listener takes (instrumentWorker, instrumentQueueEvents, bullmq()). */
export const listenerShape = {
  jobNames: z
    .custom<JobNamesOption>((v) => Array.isArray(v) || isFunction(v), {
      error: 'must be an array of job names or a function (name, queue) => label | undefined',
    })
    .optional(),
  maxJobNames: z
    .custom<number>((v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 1000, {
      error: (issue) => `must be a whole number between 0 and 1000, got ${describeValue(issue.input)}`,
    })
    .optional(),
  maxJobFetchesPerSecond: z
    .custom<number>((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0, {
      error: (issue) => `must be a number of job reads per second >= 0, got ${describeValue(issue.input)}`,
    })
    .optional(),
};

export const queueList = z.array(
  z.custom<Queue>(isQueue, { error: 'is not a BullMQ Queue (new Queue(name, { connection }))' }),
  { error: 'must be an array of BullMQ Queue instances (new Queue(name, { connection }))' },
);
