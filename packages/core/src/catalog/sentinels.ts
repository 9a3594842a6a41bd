/**
 * Sentinel label values: the values Parapet writes into a label when the real value cannot or
 * must not be used. Every sentinel is lower snake case with a leading underscore, so it never
 * collides with a real value (probe names, job names and route templates cannot start with `_`)
 * and a slice matcher can always tell "a real value" from "Parapet replaced it".
 *
 * Public API: these strings appear in exposed series and in SLO matchers. Defined here and
 * nowhere else; docs/telemetry.md ("Sentinel values") lists them with their meaning.
 */

/** A value outside a label's closed set (an unknown HTTP method, an undeclared job name). */
export const OTHER_VALUE = '_other';
/** The metric reached its series cap: every label of the one overflow series has this value. */
export const OVERFLOW_VALUE = '_overflow';
/** `route` of a request no route matched (404s, scanners). Never the raw path. */
export const UNMATCHED_ROUTE = '_unmatched';
/** An empty or missing value for a free label. */
export const EMPTY_VALUE = '_none';
/** A free label value longer than MAX_LABEL_VALUE_LENGTH (it is replaced, never truncated). */
export const TOO_LONG_VALUE = '_too_long';
/** The value could not be read (a job removed before it was read, a fetch budget spent). */
export const UNKNOWN_VALUE = '_unknown';
/** The source had no name for it (a BullMQ job added with an empty name). */
export const UNNAMED_VALUE = '_unnamed';

/** Every sentinel, for validators that reserve them and for docs tests. */
export const SENTINEL_VALUES = [
  OTHER_VALUE, OVERFLOW_VALUE, UNMATCHED_ROUTE, EMPTY_VALUE, TOO_LONG_VALUE, UNKNOWN_VALUE, UNNAMED_VALUE,
] as const;

export type SentinelValue = (typeof SENTINEL_VALUES)[number];

/** True for a sentinel value (real values never start with `_`). */
export function isSentinelValue(value: unknown): value is SentinelValue {
  return typeof value === 'string' && (SENTINEL_VALUES as readonly string[]).includes(value);
}
