import { metrics as otelMetrics, type Attributes, type Meter } from '@opentelemetry/api';
import * as z from 'zod';
import type { MetricDefinition } from '../catalog/define.js';
import { parseOptions } from '../internal/options.js';
import type { CounterChild, GaugeChild, HistogramChild, Labels, MetricSink, SinkMetric } from '../metrics/sink.js';

/**
 * OpenTelemetry sink (`@parapet/core/otel`, needs the optional peer `@opentelemetry/api`).
 * Instruments carry the catalog's Prometheus names unchanged, so the OTel Prometheus exporter
 * exposes the same series names as the prom-client sink (counters already end in `_total`,
 * durations in `_seconds`; the unit goes to the `# UNIT` line, not the name).
 */
export interface OtelSinkOptions {
  /** Meter to create instruments on. Default: the global MeterProvider's `@parapet/core` meter. */
  meter?: Meter;
}

const otelSinkSchema = z.strictObject({
  meter: z
    .custom<Meter>((v) => typeof v === 'object' && v !== null && typeof (v as Meter).createCounter === 'function', {
      message: 'must be an OpenTelemetry Meter (metrics.getMeter(name) or meterProvider.getMeter(name))',
    })
    .optional(),
});

const unitOf = (name: string): string | undefined =>
  name.endsWith('_seconds') ? 's' : name.endsWith('_bytes') ? 'By' : undefined;

function describe(def: MetricDefinition) {
  const unit = unitOf(def.name);
  return unit ? { description: def.help, unit } : { description: def.help };
}

export class OtelSink implements MetricSink {
  readonly kind = 'opentelemetry';
  private readonly meter: Meter;

  constructor(options: OtelSinkOptions = {}) {
    const parsed = parseOptions(otelSinkSchema, options, 'otelSink()');
    this.meter = parsed.meter ?? otelMetrics.getMeter('@parapet/core');
  }

  counter(def: MetricDefinition): SinkMetric<CounterChild> {
    const instrument = this.meter.createCounter(def.name, describe(def));
    return {
      child(labels: Labels): CounterChild {
        const attributes: Attributes = { ...labels };
        return { inc: (amount) => instrument.add(amount, attributes) };
      },
    };
  }

  histogram(def: MetricDefinition): SinkMetric<HistogramChild> {
    const instrument = this.meter.createHistogram(def.name, {
      ...describe(def),
      advice: { explicitBucketBoundaries: [...(def.buckets ?? [])] },
    });
    return {
      child(labels: Labels): HistogramChild {
        const attributes: Attributes = { ...labels };
        return { observe: (value) => instrument.record(value, attributes) };
      },
    };
  }

  gauge(def: MetricDefinition): SinkMetric<GaugeChild> {
    const instrument = this.meter.createGauge(def.name, describe(def));
    return {
      child(labels: Labels): GaugeChild {
        const attributes: Attributes = { ...labels };
        return { set: (value) => instrument.record(value, attributes) };
      },
    };
  }
}

export function otelSink(options?: OtelSinkOptions): OtelSink {
  return new OtelSink(options);
}
