import client from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { attach, type ParapetHandle } from '../attach.js';
import { publishHttpServerRequest, publishJourneyStep } from '../events/publish.js';
import { PromClientSink } from '../sinks/prom-client.js';
import { renderRegistry } from './exposition.js';

let handle: ParapetHandle | undefined;
afterEach(async () => {
  await handle?.detach();
  handle = undefined;
});

const openMetrics = async (registry: client.Registry) => (await renderRegistry(registry, 'openmetrics')).body;
const exemplarIds = (text: string) => [...text.matchAll(/# \{trace_id="([^"]*)"\}/g)].map((m) => m[1]);

describe('exemplar label set limit (OpenMetrics: 128 UTF-8 code points for names and values)', () => {
  it('exposes trace ids up to the limit, drops longer ones and counts each drop', async () => {
    const registry = new client.Registry();
    const logged: string[] = [];
    handle = attach({ registry, families: ['http.server.request', 'journey.step'], logger: { error: (m: string) => logged.push(m), warn() {} } as never });
    const fits = 'a'.repeat(128 - 'trace_id'.length);
    const wide = 'é'.repeat(120); // 120 code points, 240 bytes: the limit counts characters
    publishHttpServerRequest({ method: 'GET', route: '/a', statusCode: 200, durationSeconds: 0.001, traceId: fits });
    publishHttpServerRequest({ method: 'GET', route: '/b', statusCode: 200, durationSeconds: 0.001, traceId: wide });
    publishHttpServerRequest({ method: 'GET', route: '/c', statusCode: 200, durationSeconds: 0.001, traceId: 'x'.repeat(121) });
    publishJourneyStep({ journey: 'login', outcome: 'success', durationSeconds: 0.001, traceId: 'y'.repeat(500) });
    const text = await openMetrics(registry);
    expect(exemplarIds(text).sort()).toEqual([fits, wide].sort());
    // The observations themselves are kept.
    expect(text).toMatch(/parapet_http_server_request_duration_seconds_count\{route="\/c",[^}]*\} 1/);
    expect(text).toContain('parapet_internal_errors_total{component="core.exemplar_dropped"} 2');
    expect(logged.join('\n')).toMatch(/exceeds the OpenMetrics limit of 128/);
    for (const line of text.split('\n').filter((l) => l.includes(' # {'))) {
      const labelSet = /# \{(.*)\}/.exec(line)![1]!;
      const [name, value] = labelSet.split('=');
      expect([...name!, ...JSON.parse(value!)].length).toBeLessThanOrEqual(128);
    }
  });

  it('the prom-client sink never stores an exemplar past the limit on its own', async () => {
    const registry = new client.Registry();
    const sink = new PromClientSink({ registry });
    const child = sink
      .histogram({ name: 'x_seconds', type: 'histogram', help: 'x', labels: [], buckets: [1] } as never)
      .child({});
    child.observe(0.5, 'z'.repeat(121));
    child.observe(2, 'ok');
    expect(exemplarIds(await openMetrics(registry))).toEqual(['ok']);
    sink.close();
  });
});
