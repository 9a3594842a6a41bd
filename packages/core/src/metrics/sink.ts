import type { MetricDefinition } from '../catalog/define.js';

/**
 * A sink stores recordings. Parapet's bounded layer decides *which* label sets exist (caps,
 * overflow, closed sets); a sink only turns one resolved label set into a child that records.
 * Two sinks ship: prom-client (default) and an OpenTelemetry meter; both expose the same names.
 */
export type Labels = Readonly<Record<string, string>>;

export interface CounterChild { inc(amount: number): void }
export interface HistogramChild { observe(value: number, traceId?: string): void }
export interface GaugeChild { set(value: number): void }

export interface SinkMetric<C> {
  /** Create the child for one label set. Called once per series; the child is cached. */
  child(labels: Labels): C;
}

export interface MetricSink {
  readonly kind: string;
  counter(def: MetricDefinition): SinkMetric<CounterChild>;
  histogram(def: MetricDefinition): SinkMetric<HistogramChild>;
  gauge(def: MetricDefinition): SinkMetric<GaugeChild>;
  /** Release everything this sink registered (e.g. unregister from a prom-client registry). */
  close?(): void;
}
