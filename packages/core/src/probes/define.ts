/**
 * Probe definitions. A probe is an async check with a timeout; its name becomes the `probe`
 * label of parapet_probe_runs_total, so names are validated here, once, when the probe is
 * defined, instead of leaking arbitrary strings into a label at run time.
 */

import * as z from 'zod';
import { isParapetError, ParapetError, type ParapetErrorOptions } from '../errors/parapet-error.js';
import { parseOptions } from '../internal/options.js';

/** What a probe's `run` may return: nothing (success) or an explicit verdict. */
export type ProbeResult = void | undefined | { ok: true } | { ok: false; reason: string };

export interface ProbeOptions {
  /** Label-safe name: a letter, then letters, digits, `_ . : -`; at most 64 characters. */
  name: string;
  /** Abort and record `timeout` after this many milliseconds. Default 5000. */
  timeoutMs?: number;
  /**
   * The check. Resolve (or return `{ ok: true }`) for success; return `{ ok: false, reason }` or
   * throw for failure. Honour `signal`: it aborts when the timeout fires.
   */
  run: (signal: AbortSignal) => ProbeResult | Promise<ProbeResult>;
}

export interface Probe {
  readonly name: string;
  readonly timeoutMs: number;
  readonly run: (signal: AbortSignal) => ProbeResult | Promise<ProbeResult>;
}

export const PROBE_NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9_.:-]*$/;
export const MAX_PROBE_NAME_LENGTH = 64;
export const DEFAULT_PROBE_TIMEOUT_MS = 5_000;
/** setTimeout's ceiling; longer delays fire immediately in Node. */
export const MAX_TIMER_MS = 2_147_483_647;

/** A probe definition or probe-scheduler option is invalid (code `PROBE_DEFINITION`). */
export class ProbeDefinitionError extends ParapetError {
  override name = 'ProbeDefinitionError';
  constructor(message: string, options?: ParapetErrorOptions) {
    super('PROBE_DEFINITION', message, options);
  }
}

const defined = new WeakSet<Probe>();

const PROBE_OPTION_KEYS = ['name', 'timeoutMs', 'run'];
const probeOptionsSchema = z.strictObject({ name: z.string(), timeoutMs: z.number().optional(), run: z.custom((v) => typeof v === 'function') });

/** True for objects returned by defineProbe (the scheduler and runProbe accept only these). */
export function isProbe(value: unknown): value is Probe {
  return typeof value === 'object' && value !== null && defined.has(value as Probe);
}

export function validProbeName(name: unknown): name is string {
  return typeof name === 'string' && name.length <= MAX_PROBE_NAME_LENGTH && PROBE_NAME_PATTERN.test(name);
}

export function isTimerMs(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_TIMER_MS;
}

export function defineProbe(options: ProbeOptions): Probe {
  if (typeof options !== 'object' || options === null) {
    throw new ProbeDefinitionError('defineProbe(): pass an options object: defineProbe({ name, timeoutMs, run }).');
  }
  const { name, run } = options;
  if (!validProbeName(name)) {
    throw new ProbeDefinitionError(
      `defineProbe(): name ${JSON.stringify(name)} is not a valid probe name. It becomes a metric label, so it must start ` +
        `with a letter, use only letters, digits, "_", ".", ":" or "-", and be at most ${MAX_PROBE_NAME_LENGTH} characters (e.g. "checkout_api").`,
    );
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  if (!isTimerMs(timeoutMs)) {
    throw new ProbeDefinitionError(
      `defineProbe("${name}"): timeoutMs must be a whole number of milliseconds between 1 and ${MAX_TIMER_MS}, got ${String(timeoutMs)}.`,
    );
  }
  if (typeof run !== 'function') {
    throw new ProbeDefinitionError(`defineProbe("${name}"): run must be a function (signal: AbortSignal) => Promise<void | { ok, reason }>.`);
  }
  const unknown = Object.keys(options).filter((key) => !PROBE_OPTION_KEYS.includes(key));
  if (unknown.length > 0) {
    // Same wording as every other options object (parseOptions), under this function's error class.
    try {
      parseOptions(probeOptionsSchema, options, `defineProbe("${name}")`);
    } catch (error) {
      if (!isParapetError(error)) throw error;
      throw new ProbeDefinitionError(error.message, { details: error.details });
    }
  }
  const probe: Probe = Object.freeze({ name, timeoutMs, run });
  defined.add(probe);
  return probe;
}
