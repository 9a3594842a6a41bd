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
  child().observe(seconds, traceId);
}
