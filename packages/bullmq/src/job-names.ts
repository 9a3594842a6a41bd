import { OTHER_VALUE, UNKNOWN_VALUE, UNNAMED_VALUE } from '@parapet/core/integration';
import { BullmqOptionsError, safeReport, type ErrorReporter } from './errors.js';

// The `job` label's sentinels are core's (one module, one case convention: `_other`, `_unnamed`, `_unknown`).

/** Label for jobs whose name is not declared (or not accepted by the template function). @deprecated Use OTHER_VALUE from `@parapet/core/integration`. */
export const OTHER_JOB = OTHER_VALUE;
/** Label for jobs added with an empty or missing name. @deprecated Use UNNAMED_VALUE from `@parapet/core/integration`. */
export const UNNAMED_JOB = UNNAMED_VALUE;
/** Label when the job could not be read (removed already, or the fetch budget was spent). @deprecated Use UNKNOWN_VALUE from `@parapet/core/integration`. */
export const UNKNOWN_JOB = UNKNOWN_VALUE;

/**
 * How raw BullMQ job names become the bounded `job` label:
 * - a list: those names keep their name, everything else is `_other`;
 * - a function `(name, queue) => label | undefined` (e.g. strip ids: `report:42` → `report`);
 *   undefined, a non-string or an over-long result is `_other`.
 * Omitted: the first `maxJobNames` distinct names seen keep their name, later ones are `_other`.
 */
export type JobNamesOption = readonly string[] | ((name: string, queue: string) => string | undefined);

export const DEFAULT_MAX_JOB_NAMES = 50;
const MAX_JOB_LABEL_LENGTH = 64;
// Printable, no control characters: a label value that renders and greps cleanly.
const LABEL_SAFE = /^[^\p{C}]+$/u;

const labelSafe = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= MAX_JOB_LABEL_LENGTH && !value.startsWith('_') && LABEL_SAFE.test(value);

export type JobNamer = (name: unknown, queue: string) => string;

export function validateJobNames(option: unknown, maxJobNames: unknown): void {
  if (option !== undefined && typeof option !== 'function' && !Array.isArray(option)) {
    throw new BullmqOptionsError('jobNames must be an array of job names or a function (name, queue) => label | undefined.');
  }
  if (Array.isArray(option)) {
    for (const name of option) {
      if (!labelSafe(name)) {
        throw new BullmqOptionsError(
          `jobNames: ${JSON.stringify(name)} cannot be a label. Use a printable name of 1-${MAX_JOB_LABEL_LENGTH} characters not starting with "_".`,
        );
      }
    }
  }
  if (maxJobNames !== undefined && !(Number.isInteger(maxJobNames) && (maxJobNames as number) >= 0 && (maxJobNames as number) <= 1000)) {
    throw new BullmqOptionsError(`maxJobNames must be a whole number between 0 and 1000, got ${String(maxJobNames)}.`);
  }
}

/** Build the namer once per instrumentation; it never throws. */
export function createJobNamer(option: JobNamesOption | undefined, maxJobNames: number, report: ErrorReporter): JobNamer {
  const unnamed = (name: unknown) => typeof name !== 'string' || name === '';
  if (Array.isArray(option)) {
    const declared = new Set<string>(option);
    return (name) => (unnamed(name) ? UNNAMED_VALUE : declared.has(name as string) ? (name as string) : OTHER_VALUE);
  }
  if (typeof option === 'function') {
    const template = option as (name: string, queue: string) => string | undefined;
    return (name, queue) => {
      if (unnamed(name)) return UNNAMED_VALUE;
      try {
        const label = template(name as string, queue);
        return labelSafe(label) ? label : OTHER_VALUE;
      } catch (error) {
        safeReport(report, 'bullmq.job_names', error);
        return OTHER_VALUE;
      }
    };
  }
  // First come, first kept: bounded without configuration, stable once the set is full.
  const learned = new Set<string>();
  return (name) => {
    if (unnamed(name)) return UNNAMED_VALUE;
    if (learned.has(name as string)) return name as string;
    if (learned.size < maxJobNames && labelSafe(name)) {
      learned.add(name as string);
      return name as string;
    }
    return OTHER_VALUE;
  };
}
