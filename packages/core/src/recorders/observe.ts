import { validSeconds } from '../catalog/normalize.js';
import type { EventFamily } from '../events/types.js';
import { invalidEventComponent } from '../internal/components.js';
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
    child().observe(seconds, traceId);
  };
}
