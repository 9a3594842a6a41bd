import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { attach } from '../attach.js';
import * as p from '../events/publish.js';
import { parseExposition, type Sample } from '@parapet/vitest-preset/exposition';
import { otelSink } from './otel.js';
import { promClientSink } from './prom-client.js';

/** One event of every family, with values that land in distinct buckets. */
function publishOneOfEach() {
  p.publishHttpServerRequest({ method: 'GET', route: '/users/:id', statusCode: 200, durationSeconds: 0.03 });
  p.publishHttpServerRequest({ method: 'BREW', route: undefined, statusCode: 418, durationSeconds: 0.001 });
  p.publishJobRun({ queue: 'mail', job: 'welcome', outcome: 'completed', attempt: 1, durationSeconds: 0.4, waitSeconds: 3 });
  p.publishQueueSample({ queue: 'mail', counts: { waiting: 4, active: 1 }, oldestWaitingAgeSeconds: 12 });
  p.publishJourneyStep({ journey: 'checkout', step: 'pay', outcome: 'success', durationSeconds: 1.2 });
  p.publishDeliveryOutbound({ integration: 'mailer', provider: 'ses', channel: 'email', outcome: 'provider_accepted', durationSeconds: 0.2 });
  p.publishDeliveryProviderFeedback({ integration: 'mailer', provider: 'ses', channel: 'email', outcome: 'delivered' });
  p.publishDeliveryWebhookIngest({ integration: 'mailer', provider: 'ses', channel: 'email', outcome: 'delivered', delaySeconds: 2 });
  p.publishAsyncStage({ integration: 'media', provider: 'x', queue: 'v', stage: 'encode', outcome: 'succeeded', durationSeconds: 20 });
  p.publishAsyncBacklog({ integration: 'media', provider: 'x', queue: 'v', depth: 5, oldestAgeSeconds: 9 });
  p.publishAsyncCallback({ integration: 'media', provider: 'x', queue: 'v', stage: 'encode', outcome: 'succeeded', delaySeconds: 30 });
  p.publishProbeRun({ probe: 'login', outcome: 'success', durationSeconds: 0.1 });
  p.markDeploy({ service: 'api', environment: 'prod', version: 'v1', at: new Date(1_700_000_000_000) });
  p.publishFlagChange({ flag: 'beta', source: 'admin' });
}

/** Series → value, ignoring wall-clock gauges whose values differ by the time of recording. */
function index(samples: Sample[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples) {
    if (!s.name.startsWith('parapet_')) continue;
    const key = `${s.name}${JSON.stringify(Object.entries(s.labels).sort())}`;
    out.set(key, /_last_(received|success)_timestamp_seconds$/.test(s.name) ? -1 : s.value);
  }
  return out;
}

describe('OpenTelemetry sink', () => {
  it('exposes the same Prometheus series, labels and values as the prom-client sink', async () => {
    const registry = new client.Registry();
    // Scope and target labels off, as in the exporter's recommended Parapet set-up (docs/telemetry.md).
    const exporter = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true, withoutTargetInfo: true });
    const provider = new MeterProvider({ readers: [exporter] });
    const prom = attach({ registry });
    const otel = attach({ sink: otelSink({ meter: provider.getMeter('parapet-test') }) });
    try {
      publishOneOfEach();
      const promSamples = index(parseExposition(await registry.metrics()));
      const { resourceMetrics } = await exporter.collect();
      const otelText = new PrometheusSerializer(undefined, false, undefined, true, true).serialize(resourceMetrics);
      const otelSamples = index(parseExposition(otelText));

      // Self-metrics exist in both only once something overflowed or failed; compare the event metrics.
      const eventSeries = (m: Map<string, number>) => new Map([...m].filter(([k]) => !/parapet_(internal_errors|series_overflow)/.test(k)));
      expect(eventSeries(otelSamples)).toEqual(eventSeries(promSamples));
      expect(eventSeries(promSamples).size).toBeGreaterThan(100);
      expect(otelText).toContain('# UNIT parapet_http_server_request_duration_seconds s');
    } finally {
      await prom.detach();
      await otel.detach();
      await provider.shutdown();
    }
  });

  it('validates its options', () => {
    expect(() => otelSink({ metre: {} } as never)).toThrow(/otelSink\(\): unknown option "metre" \(did you mean "meter"\?\)/);
    expect(() => promClientSink({ registy: {} } as never)).toThrow(/promClientSink\(\): unknown option "registy" \(did you mean "registry"\?\)/);
  });
});
