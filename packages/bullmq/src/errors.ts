import { isParapetError, parseOptions, ParapetError, type ParapetErrorOptions } from '@parapet/core/integration';
import type * as z from 'zod';

/**
 * Thrown synchronously for options that cannot work, with a message that says how to fix them.
 * A ParapetError with code `INVALID_OPTIONS`.
 */
export class BullmqOptionsError extends ParapetError {
  override name = 'BullmqOptionsError';
  constructor(message: string, options?: ParapetErrorOptions) {
    super('INVALID_OPTIONS', message, options);
  }
}

/**
 * Core's parseOptions (strict: unknown keys and wrong types are errors naming the option and a
 * did-you-mean), raised as this package's BullmqOptionsError.
 */
export function parseBullmqOptions<S extends z.ZodType>(schema: S, input: unknown, where: string): z.output<S> {
  try {
    return parseOptions(schema, input, where);
  } catch (error) {
    if (!isParapetError(error)) throw error;
    throw new BullmqOptionsError(error.message, { details: error.details });
  }
}

/**
 * How @parapet/bullmq reports a failure it caught: counted and logged by attach(), never thrown.
 * `component` is a public label value: `bullmq.<component>` (`bullmq.worker`, `bullmq.sampler`).
 */
export type ErrorReporter = (component: string, error: unknown) => void;

/** Used when a helper runs outside attach() and the host passed no reporter: drop quietly. */
export const ignoreErrors: ErrorReporter = () => {};

/** Call a reporter without letting a faulty one escape into BullMQ's event emitter. */
export function safeReport(report: ErrorReporter, component: string, error: unknown): void {
  try {
    report(component, error);
  } catch {
    // A reporter that throws must not become the host's problem.
  }
}
