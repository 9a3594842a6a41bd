import { internalErrors, seriesOverflow } from '../catalog/catalog.js';
import { MetricDefinitionError, type MetricDefinition } from '../catalog/define.js';
import { consoleLogger, RateLimitedLogger, type Logger } from '../internal/logger.js';
import { BoundedMetric } from './bounded.js';
import type { CounterChild, GaugeChild, HistogramChild, MetricSink, SinkMetric } from './sink.js';

export interface MetricsRuntimeOptions {
  sink: MetricSink;
  /** Default series cap for metrics that do not declare one. */
  maxSeriesPerMetric?: number;
  logger?: Logger;
}

/** Runtimes of the live attachments, for faults found outside a subscriber (adapter callbacks). */
const live = new Set<MetricsRuntime>();

/**
 * Count and log a fault caught outside Parapet's subscribers — a framework adapter's user
 * callback (`skip`, `traceId`) that threw — in every attached runtime. Never throws.
 */
export function reportToAttached(component: string, error: unknown): void {
  for (const rt of live) rt.reportError(component, error);
}

/**
 * The bounded metrics of one attachment: one BoundedMetric per definition, created lazily,
 * plus Parapet's self-metrics. `reportError` is how every Parapet component reports a failure
 * it caught: counted and logged (rate-limited), never thrown at the host.
 */
export class MetricsRuntime {
  readonly sink: MetricSink;
  readonly log: RateLimitedLogger;
  private readonly maxSeries: number | undefined;
  private readonly metrics = new Map<string, BoundedMetric<unknown>>();
  private readonly errors: BoundedMetric<CounterChild>;
  private readonly overflow: BoundedMetric<CounterChild>;

  constructor(options: MetricsRuntimeOptions) {
    this.sink = options.sink;
    this.maxSeries = options.maxSeriesPerMetric;
    this.log = new RateLimitedLogger(options.logger ?? consoleLogger);
    this.errors = this.counter(internalErrors);
    this.overflow = this.counter(seriesOverflow);
    live.add(this);
  }

  counter(def: MetricDefinition): BoundedMetric<CounterChild> {
    return this.get(def, 'counter', () => this.sink.counter(def), (child: CounterChild) => child.inc(0));
  }

  histogram(def: MetricDefinition): BoundedMetric<HistogramChild> {
    return this.get(def, 'histogram', () => this.sink.histogram(def));
  }

  gauge(def: MetricDefinition): BoundedMetric<GaugeChild> {
    return this.get(def, 'gauge', () => this.sink.gauge(def));
  }

  /** Count and log an error Parapet caught. Never throws. */
  reportError(component: string, error: unknown): void {
    try {
      this.errors.childFor([this.errors.resolver.bound(0, component)]).inc(1);
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(`${component}:${message}`, `${component} failed: ${message}`, { component, error });
    } catch {
      // Reporting must never become the failure.
    }
  }

  close(): void {
    live.delete(this);
    this.sink.close?.();
    this.metrics.clear();
  }

  private get<C>(def: MetricDefinition, type: MetricDefinition['type'], create: () => unknown, zero?: (child: C) => void): BoundedMetric<C> {
    if (def.type !== type) throw new TypeError(`Metric "${def.name}" is a ${def.type}, not a ${type}.`);
    const existing = this.metrics.get(def.name) as BoundedMetric<C> | undefined;
    if (existing === undefined) {
      const metric = new BoundedMetric<C>({ def, sink: create() as SinkMetric<C>, maxSeries: this.maxSeries, onOverflow: (d) => this.onOverflow(d), zero });
      this.metrics.set(def.name, metric as unknown as BoundedMetric<unknown>);
      return metric;
    }
    if (existing.def !== def) {
      throw new MetricDefinitionError(`Two different definitions share the metric name "${def.name}". Metric names must be unique.`);
    }
    return existing;
  }

  private onOverflow(def: MetricDefinition): void {
    // Guard the self-metric against recursion if it overflowed itself.
    if (def === seriesOverflow) return;
    this.overflow.childFor([this.overflow.resolver.bound(0, def.name)]).inc(1);
    this.log.warn(
      `overflow:${def.name}`,
      `metric ${def.name} reached its series cap; new label sets are recorded as "_overflow". ` +
        'Check for a label fed from unbounded input, or raise maxSeries for this metric.',
    );
  }
}
