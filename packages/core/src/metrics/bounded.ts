import { DEFAULT_MAX_SERIES, type MetricDefinition } from '../catalog/define.js';
import { OVERFLOW_VALUE } from '../catalog/sentinels.js';
import { LabelResolver } from './label-values.js';
import type { CounterChild, GaugeChild, HistogramChild, SinkMetric } from './sink.js';

/** Map key of one label set (values in declared order). */
const keyOf = (values: readonly string[]): string => (values.length === 1 ? values[0]! : values.join('\u0001'));

/**
 * One metric with a series cap. Children are created through the sink once per label set and
 * cached; past the cap every new label set records into a single overflow series (all labels
 * `_overflow`) and the overflow is counted. Hot paths keep the returned child (pre-resolved).
 */
export interface BoundedMetricArgs<C> {
  def: MetricDefinition;
  /** Where the series are stored. */
  sink: SinkMetric<C>;
  /** Series cap when the definition declares none (default DEFAULT_MAX_SERIES). */
  maxSeries?: number | undefined;
  /** Called for each recording routed to the overflow series. */
  onOverflow: (def: MetricDefinition) => void;
  /** How to make a zero-initialized sibling visible (counters: `inc(0)`). */
  zero?: ((child: C) => void) | undefined;
}

export class BoundedMetric<C> {
  readonly def: MetricDefinition;
  readonly resolver: LabelResolver;
  readonly maxSeries: number;
  private readonly sink: SinkMetric<C>;
  private readonly onOverflow: (def: MetricDefinition) => void;
  private readonly zero: ((child: C) => void) | undefined;
  private readonly series = new Map<string, C>();
  private overflowChild: C | undefined;

  constructor({ def, sink, maxSeries, onOverflow, zero }: BoundedMetricArgs<C>) {
    this.def = def;
    this.sink = sink;
    this.onOverflow = onOverflow;
    this.zero = zero;
    this.resolver = new LabelResolver(def);
    this.maxSeries = def.maxSeries ?? maxSeries ?? DEFAULT_MAX_SERIES;
  }

  /** Child for raw labels (validated and bounded). */
  labels(labels: Readonly<Record<string, unknown>>): C {
    return this.childFor(this.resolver.resolve(labels));
  }

  /** Child for values already bounded and in declared order (see LabelResolver.bound). */
  childFor(values: readonly string[]): C {
    const key = keyOf(values);
    const hit = this.series.get(key);
    if (hit !== undefined) return hit;
    if (this.series.size >= this.maxSeries) {
      this.onOverflow(this.def);
      return (this.overflowChild ??= this.sink.child(this.overflowLabels()));
    }
    const child = this.create(key, values);
    if (this.def.zeroInit && this.zero) this.zeroSiblings(values);
    return child;
  }

  private create(key: string, values: readonly string[]): C {
    const labels: Record<string, string> = {};
    const names = this.resolver.names;
    for (let i = 0; i < names.length; i++) labels[names[i]!] = values[i]!;
    const child = this.sink.child(labels);
    this.series.set(key, child);
    return child;
  }

  /** Create the declared sibling series at 0 (within the cap; never recursively). */
  private zeroSiblings(values: readonly string[]): void {
    const names = this.resolver.names;
    for (const overrides of this.def.zeroInit!) {
      const sibling = names.map((name, i) => (overrides as Record<string, string | undefined>)[name] ?? values[i]!);
      const key = keyOf(sibling);
      if (this.series.has(key) || this.series.size >= this.maxSeries) continue;
      this.zero!(this.create(key, sibling));
    }
  }

  private overflowLabels(): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const name of this.resolver.names) labels[name] = OVERFLOW_VALUE;
    return labels;
  }
}

export type BoundedCounter = BoundedMetric<CounterChild>;
export type BoundedHistogram = BoundedMetric<HistogramChild>;
export type BoundedGauge = BoundedMetric<GaugeChild>;
