import { validSeconds } from '../catalog/normalize.js';
import type { HistogramChild } from '../metrics/sink.js';
import type { EventFamily } from '../events/types.js';
import { invalidEventComponent } from '../internal/components.js';
import type { MetricsRuntime } from '../metrics/runtime.js';

export interface ObserveSecondsArgs {
  metrics: MetricsRuntime;
  /** Family of the event, for the error's component id (`core.invalid_event.<family>`). */
  family: EventFamily;
  /** Payload field, for the error message (`durationSeconds`). */
  field: string;
  value: unknown;
  /** The histogram child, resolved only when the value is valid. */
  child: () => HistogramChild;
  traceId?: string | undefined;
}

/**
 * Observe a duration only when it is valid seconds; an absent value is skipped, a bad one is
 * counted under `core.invalid_event.<family>` and logged. The event's counters have already
 * counted it.
 */
export function observeSeconds({ metrics, family, field, value, child, traceId }: ObserveSecondsArgs): void {
  if (value === undefined) return;
  const seconds = validSeconds(value);
  if (seconds === undefined) {
    metrics.reportError(invalidEventComponent(family), new TypeError(`${family}: ${field} must be a finite number of seconds >= 0, got ${String(value)}`));
    return;
  }
  child().observe(seconds, traceId);
}
