import { validSeconds } from '../catalog/normalize.js';
import type { EventFamily } from '../events/types.js';
import { invalidEventComponent, EXEMPLAR_DROPPED_COMPONENT } from '../internal/components.js';
import type { HistogramChild } from '../metrics/sink.js';
import type { MetricsRuntime } from '../metrics/runtime.js';

export interface SecondsObserverArgs {
  metrics: MetricsRuntime;
  /** Family of the event, for the error's component id (`core.invalid_event.<family>`). */
  family: EventFamily;
  /** Payload field, for the error message (`durationSeconds`). */
  field: string;
}

/**
 * Observe a duration only when it is valid seconds; an absent value is skipped.
 * `child` is resolved only for a valid value; `traceId` becomes the exemplar.
 */
export type SecondsObserver = (value: unknown, child: () => HistogramChild, traceId?: string) => void;

/**
 * Build the observer for one payload field, once per recorder (the hot path allocates nothing):
 * a bad value is counted under `core.invalid_event.<family>` and logged; the event's counters
 * have already counted the event itself.
 */
export function secondsObserver({ metrics, family, field }: SecondsObserverArgs): SecondsObserver {
  const component = invalidEventComponent(family);
  return (value, child, traceId) => {
    if (value === undefined) return;
    const seconds = validSeconds(value);
    if (seconds === undefined) {
      metrics.reportError(component, new TypeError(`${family}: ${field} must be a finite number of seconds >= 0, got ${String(value)}`));
      return;
    }
    child().observe(seconds, exemplarTraceId(metrics, traceId));
  };
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
 * `component="core.exemplar_dropped"` (the observation itself is kept).
 */
export function exemplarTraceId(rt: MetricsRuntime, traceId: unknown): string | undefined {
  if (traceId === undefined) return undefined;
  if (typeof traceId === 'string' && traceId !== '' && (traceId.length <= TRACE_ID_MAX || [...traceId].length <= TRACE_ID_MAX)) return traceId;
  rt.reportError(
    EXEMPLAR_DROPPED_COMPONENT,
    new RangeError(
      typeof traceId === 'string' && traceId !== ''
        ? `exemplar dropped: the trace id exceeds the OpenMetrics limit of ${EXEMPLAR_LABEL_SET_MAX} characters for the label set (trace_id + value); pass a W3C trace id (32 hex characters)`
        : `exemplar dropped: trace id must be a non-empty string, got ${typeof traceId}`,
    ),
  );
  return undefined;
}
