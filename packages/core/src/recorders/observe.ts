import { validSeconds } from '../catalog/normalize.js';
import type { HistogramChild } from '../metrics/sink.js';
import type { MetricsRuntime } from '../metrics/runtime.js';

/**
 * Observe a duration only when it is valid seconds; an absent value is skipped, a bad one is
 * counted under `component` and logged. The event's counters have already counted it.
 */
export function observeSeconds(
  rt: MetricsRuntime,
  component: string,
  field: string,
  value: unknown,
  child: () => HistogramChild,
  traceId?: string,
): void {
  if (value === undefined) return;
  const seconds = validSeconds(value);
  if (seconds === undefined) {
    rt.reportError(component, new TypeError(`${field} must be a finite number of seconds >= 0, got ${String(value)}`));
    return;
  }
  child().observe(seconds, exemplarTraceId(rt, traceId));
}

/**
 * OpenMetrics limits an exemplar's whole label set (names and values) to 128 UTF-8 code points;
 * one longer makes a strict parser reject the entire scrape. The exemplar label is `trace_id`.
 */
export const EXEMPLAR_LABEL_SET_MAX = 128;
const TRACE_ID_MAX = EXEMPLAR_LABEL_SET_MAX - 'trace_id'.length;

/**
 * The trace id to attach as an exemplar, or undefined when it cannot be exposed: not a string,
 * empty, or longer than the OpenMetrics limit. A dropped one is counted under
 * `component="exemplar.dropped"` (the observation itself is kept).
 */
export function exemplarTraceId(rt: MetricsRuntime, traceId: unknown): string | undefined {
  if (traceId === undefined) return undefined;
  if (typeof traceId === 'string' && traceId !== '' && (traceId.length <= TRACE_ID_MAX || [...traceId].length <= TRACE_ID_MAX)) return traceId;
  rt.reportError(
    'exemplar.dropped',
    new RangeError(
      typeof traceId === 'string' && traceId !== ''
        ? `exemplar dropped: the trace id exceeds the OpenMetrics limit of ${EXEMPLAR_LABEL_SET_MAX} characters for the label set (trace_id + value); pass a W3C trace id (32 hex characters)`
        : `exemplar dropped: trace id must be a non-empty string, got ${typeof traceId}`,
    ),
  );
  return undefined;
}
