import type { Metric, Registry } from 'prom-client';
import { ParapetError } from '../errors/parapet-error.js';
import { parseOptions } from '../internal/options.js';
import { loadPromClient } from '../internal/peer.js';
import * as z from 'zod';
import type { MetricDefinition } from '../catalog/define.js';
import type { CounterChild, GaugeChild, HistogramChild, Labels, MetricSink, SinkMetric } from '../metrics/sink.js';

/**
 * The default sink. Parapet keeps its own series storage (plain numbers and typed arrays, so a
 * recording is a few additions) and registers one collector per metric in a prom-client
 * Registry, so `registry.metrics()` — and any existing /metrics route — includes Parapet's
 * series next to the host's own metrics and prom-client's default process metrics.
 */
export interface PromClientSinkOptions {
  /** Registry to register into. Default: prom-client's global `register`. */
  registry?: Registry;
}

const sinkSchema = z.strictObject({
  registry: z
    .custom<Registry>((v) => typeof v === 'object' && v !== null && typeof (v as Registry).registerMetric === 'function', {
      message: 'must be a prom-client Registry (`new Registry()` from "prom-client")',
    })
    .optional(),
});

interface Exemplar { labelSet: Record<string, string>; value: number; timestamp: number }

interface PromValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
  exemplar?: Exemplar;
}

/** The shape prom-client's Registry reads from a registered metric. */
interface Collector {
  name: string;
  help: string;
  type: 'counter' | 'histogram' | 'gauge';
  aggregator: 'sum' | 'max';
  get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: PromValue[] }>;
  reset(): void;
}

class CounterCell implements CounterChild {
  value = 0;
  constructor(readonly labels: Labels) {}
  inc(amount: number): void {
    this.value += amount;
  }
}

class GaugeCell implements GaugeChild {
  value = 0;
  constructor(readonly labels: Labels) {}
  set(value: number): void {
    this.value = value;
  }
}

class HistogramCell implements HistogramChild {
  /** Per-bucket (non-cumulative) counts; the last slot is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  exemplars: (Exemplar | undefined)[] | undefined;

  constructor(readonly labels: Labels, private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number, traceId?: string): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
    // The recorders drop (and count) ids past the OpenMetrics limit; this guard keeps the sink safe on its own.
    if (traceId !== undefined && exposable(traceId)) {
      (this.exemplars ??= [])[i] = { labelSet: { trace_id: traceId }, value, timestamp: Date.now() / 1000 };
    }
  }
}

/** OpenMetrics: an exemplar's label set (`trace_id` + value) is at most 128 UTF-8 code points. */
const EXEMPLAR_VALUE_MAX = 128 - 'trace_id'.length;
const exposable = (traceId: unknown): traceId is string =>
  typeof traceId === 'string' && traceId !== '' && (traceId.length <= EXEMPLAR_VALUE_MAX || [...traceId].length <= EXEMPLAR_VALUE_MAX);

class PromSinkMetric<C extends { labels: Labels }> implements SinkMetric<C> {
  readonly cells = new Set<C>();
  constructor(private readonly make: (labels: Labels) => C) {}
  child(labels: Labels): C {
    const cell = this.make(labels);
    this.cells.add(cell);
    return cell;
  }
}

export class PromClientSink implements MetricSink {
  readonly kind = 'prom-client';
  readonly registry: Registry;
  private readonly registered: string[] = [];

  constructor(options: PromClientSinkOptions = {}) {
    const parsed = parseOptions(sinkSchema, options, 'promClientSink()');
    this.registry = parsed.registry ?? loadPromClient('attach()').register;
  }

  counter(def: MetricDefinition): SinkMetric<CounterChild> {
    return this.scalar(def, 'counter', (labels) => new CounterCell(labels));
  }

  gauge(def: MetricDefinition): SinkMetric<GaugeChild> {
    return this.scalar(def, 'gauge', (labels) => new GaugeCell(labels));
  }

  /** Counters and gauges: one value per series. */
  private scalar<C extends { labels: Labels; value: number }>(def: MetricDefinition, type: 'counter' | 'gauge', make: (labels: Labels) => C): PromSinkMetric<C> {
    const metric = new PromSinkMetric(make);
    this.register(def, type, metric, () => [...metric.cells].map((c) => ({ labels: { ...c.labels }, value: c.value })));
    return metric;
  }

  histogram(def: MetricDefinition): SinkMetric<HistogramChild> {
    const bounds = def.buckets ?? [];
    const metric = new PromSinkMetric((labels) => new HistogramCell(labels, bounds));
    const collect = (): PromValue[] => {
      const values: PromValue[] = [];
      for (const cell of metric.cells) {
        let cumulative = 0;
        for (let i = 0; i <= bounds.length; i++) {
          cumulative += cell.counts[i]!;
          const value: PromValue = {
            labels: { ...cell.labels, le: i < bounds.length ? bounds[i]! : '+Inf' },
            value: cumulative,
            metricName: `${def.name}_bucket`,
          };
          const exemplar = cell.exemplars?.[i];
          if (exemplar) value.exemplar = exemplar;
          values.push(value);
        }
        values.push({ labels: { ...cell.labels }, value: cell.sum, metricName: `${def.name}_sum` });
        values.push({ labels: { ...cell.labels }, value: cell.count, metricName: `${def.name}_count` });
      }
      return values;
    };
    this.register(def, 'histogram', metric, collect);
    return metric;
  }

  close(): void {
    for (const name of this.registered) this.registry.removeSingleMetric(name);
    this.registered.length = 0;
  }

  private register(def: MetricDefinition, type: Collector['type'], metric: PromSinkMetric<{ labels: Labels }>, values: () => PromValue[]): void {
    if (this.registry.getSingleMetric(def.name)) {
      throw new ParapetError(
        'ATTACH_FAILED',
        `prom-client registry already has a metric named "${def.name}". Parapet is probably attached twice to the same ` +
          'registry: call close() on the first handle, or pass a separate `registry` to attach().',
        { details: { metric: def.name } },
      );
    }
    const collector: Collector = {
      name: def.name,
      help: def.help,
      type,
      aggregator: type === 'gauge' ? 'max' : 'sum',
      async get() {
        return { name: this.name, help: def.help, type, aggregator: this.aggregator, values: values() };
      },
      reset: () => metric.cells.clear(),
    };
    this.registry.registerMetric(collector as unknown as Metric);
    this.registered.push(def.name);
  }
}

export function promClientSink(options?: PromClientSinkOptions): PromClientSink {
  return new PromClientSink(options);
}
