import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attach } from '@parapet/core';
import { otelSink } from '@parapet/core/otel';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from './app-spec.js';
import { DURATION, expectedZeroSeries, parseExposition, REQUESTS, requestCounts, valuesOf } from './exposition.js';
import { eventually } from './suite.js';
import { EXPECTED, play, TRAFFIC } from './traffic.js';

/** Serve an exporter's scrape handler on an ephemeral port, as Prometheus would reach it. */
async function scrapeExporter(exporter: PrometheusExporter): Promise<string> {
  const server = createServer((req, res) => exporter.getMetricsRequestHandler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const { port } = server.address() as AddressInfo;
    return await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

/**
 * The OpenTelemetry sink end to end: the same traffic through an OTel MeterProvider and the
 * Prometheus exporter must expose the same series names, labels and counts as prom-client.
 */
export function describeOtelSink(target: ConformanceTarget): void {
  describe(`OpenTelemetry sink: ${target.name}`, () => {
    it('exposes the same series names, labels and counts as the prom-client sink', async () => {
      const exporter = new PrometheusExporter({ preventServerStart: true });
      const provider = new MeterProvider({ readers: [exporter] });
      const handle = attach({ sink: otelSink({ meter: provider.getMeter('parapet-conformance') }), families: ['http.server.request'] });
      const app = await target.start({ public: true });
      try {
        await play(app.url, TRAFFIC);
        await eventually(async () => {
          const samples = parseExposition(await scrapeExporter(exporter));
          expect(requestCounts(samples)).toEqual(EXPECTED);
          expect(valuesOf(samples, REQUESTS, (s) => s.value === 0)).toEqual(expectedZeroSeries(EXPECTED));
          expect(valuesOf(samples, `${DURATION}_count`)).toEqual(EXPECTED);
          const health = samples.filter((s) => s.name === `${DURATION}_bucket` && s.labels.route === '/health').map((s) => s.labels.le);
          expect(health.at(-1)).toBe('+Inf');
          expect(health).toContain('0.005');
        });
      } finally {
        await app.close();
        await handle.close();
        await provider.shutdown();
      }
    });
  });
}
