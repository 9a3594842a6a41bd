import client from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { attach, type ParapetHandle } from '../attach.js';
import { publishHttpServerRequest } from '../events/publish.js';
import { ParapetError } from '../errors/parapet-error.js';
import { createMetricsHandler } from './metrics-handler.js';
import { negotiateFormat } from './negotiate.js';
import { tokenMatches } from './bearer-auth.js';

const PROMETHEUS_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

let handle: ParapetHandle;
afterEach(async () => handle?.close());

function setup(options: Parameters<typeof createMetricsHandler>[0] = {}) {
  const registry = new client.Registry();
  handle = attach({ registry });
  publishHttpServerRequest({ method: 'GET', route: '/users/:id', statusCode: 200, durationSeconds: 0.02, traceId: 'abc123' });
  const logger = { warn: vi.fn(), error: vi.fn() };
  return { handler: createMetricsHandler({ registry, logger, ...options }), logger, registry };
}
const get = (headers: Record<string, string> = {}, method = 'GET') => new Request('http://app.test/metrics', { method, headers });

describe('metrics endpoint: auth', () => {
  it('requires one of several bearer tokens (rotation)', async () => {
    const { handler } = setup({ tokens: ['old-token', 'new-token'] });
    expect((await handler(get())).status).toBe(401);
    expect((await handler(get())).headers.get('www-authenticate')).toBe('Bearer realm="parapet-metrics"');
    expect((await handler(get({ authorization: 'Bearer wrong' }))).status).toBe(401);
    expect((await handler(get({ authorization: 'Basic b2xkLXRva2Vu' }))).status).toBe(401);
    expect((await handler(get({ authorization: 'Bearer old-token' }))).status).toBe(200);
    expect((await handler(get({ authorization: 'bearer new-token' }))).status).toBe(200);
  });

  it('reads PARAPET_METRICS_TOKENS (comma-separated) per request by default', async () => {
    const { handler } = setup();
    vi.stubEnv('PARAPET_METRICS_TOKENS', 'a-token, b-token');
    try {
      expect((await handler(get())).status).toBe(401);
      expect((await handler(get({ authorization: 'Bearer b-token' }))).status).toBe(200);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it.each(['production', 'Production', 'prod', 'staging', 'Development', 'TEST', ' development', '', undefined])(
    'fails closed without a token when the environment is %j, and logs how to fix it',
    async (environment) => {
      const { handler, logger } = setup({ tokens: [], ...(environment !== undefined && { environment }) });
      vi.stubEnv('NODE_ENV', undefined);
      try {
        const response = await handler(get());
        expect(response.status).toBe(403);
        const body = (await response.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('FORBIDDEN');
        expect(body.error.message).toContain('Set PARAPET_METRICS_TOKENS');
        expect(logger.error).toHaveBeenCalledWith(
          expect.stringMatching(/refusing to serve \/metrics without a token: .*only exactly "development" or "test" serve without one. Set PARAPET_METRICS_TOKENS/),
          undefined,
        );
      } finally {
        vi.unstubAllEnvs();
      }
    },
  );

  it('reads NODE_ENV when no environment is given', async () => {
    const { handler } = setup({ tokens: [] });
    try {
      vi.stubEnv('NODE_ENV', 'Production');
      expect((await handler(get())).status).toBe(403);
      vi.stubEnv('NODE_ENV', 'test');
      expect((await handler(get())).status).toBe(200);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('serves without a token only in development or test, or when explicitly public', async () => {
    expect((await setup({ tokens: [], environment: 'development' }).handler(get())).status).toBe(200);
    await handle.close();
    expect((await setup({ tokens: [], environment: 'test' }).handler(get())).status).toBe(200);
    await handle.close();
    expect((await setup({ tokens: [], environment: 'production', public: true }).handler(get())).status).toBe(200);
  });

  it('validates its options: a misspelt key is an error suggesting the right one', () => {
    expect(() => createMetricsHandler({ token: 'x' } as never)).toThrow(ParapetError);
    expect(() => createMetricsHandler({ token: 'x' } as never)).toThrow(/unknown option "token" \(did you mean "tokens"\?\)/);
    expect(() => createMetricsHandler({ tokens: 42 } as never)).toThrow(/option "tokens": must be a token string/);
    expect(() => createMetricsHandler({ public: 'yes' } as never)).toThrow(/option "public" must be a boolean, got the string "yes"/);
  });
});

describe('metrics endpoint: registry pairing', () => {
  it('warns once when it serves the global registry while Parapet records only into another one', async () => {
    handle = attach({ registry: new client.Registry() });
    const logger = { warn: vi.fn(), error: vi.fn() };
    const handler = createMetricsHandler({ logger, public: true });
    await handler(get());
    await handler(get());
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]![0]).toMatch(/serving prom-client's global registry, but Parapet is attached only to another registry.*handle\.metricsHandler\(\)/);
  });

  it('does not warn when the handler names its registry, or when Parapet records into the global one', async () => {
    const registry = new client.Registry();
    handle = attach({ registry });
    const logger = { warn: vi.fn(), error: vi.fn() };
    await createMetricsHandler({ registry, logger, public: true })(get());
    await handle.metricsHandler({ logger, public: true })(get());
    await handle.close();
    handle = attach();
    await createMetricsHandler({ logger, public: true })(get());
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('compares every token without early exit', () => {
    expect(tokenMatches('b', ['a', 'b', 'c'])).toBe(true);
    expect(tokenMatches('b', [])).toBe(false);
    expect(tokenMatches(undefined, ['a'])).toBe(false);
    expect(tokenMatches('a'.repeat(10_000), ['a'])).toBe(false);
  });
});

describe('metrics endpoint: content negotiation', () => {
  it('serves OpenMetrics with exemplars to Prometheus, and plain text without them by default', async () => {
    const { handler } = setup({ public: true });
    const om = await handler(get({ accept: PROMETHEUS_ACCEPT }));
    expect(om.headers.get('content-type')).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    const omText = await om.text();
    expect(omText).toMatch(/parapet_http_server_request_duration_seconds_bucket\{[^}]*le="0.025"\} 1 # \{trace_id="abc123"\} 0.02 \d+/);
    expect(omText).toContain('# TYPE parapet_http_server_requests counter');
    expect(omText.endsWith('# EOF\n')).toBe(true);

    const plain = await handler(get());
    expect(plain.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const plainText = await plain.text();
    expect(plainText).not.toContain('trace_id');
    // An OpenMetrics scrape must not rename counters for later text scrapes.
    expect(plainText).toContain('# TYPE parapet_http_server_requests_total counter');
  });

  it('negotiates by quality', () => {
    expect(negotiateFormat(null)).toBe('prometheus');
    expect(negotiateFormat('*/*')).toBe('prometheus');
    expect(negotiateFormat('text/plain;version=0.0.4')).toBe('prometheus');
    expect(negotiateFormat('application/openmetrics-text')).toBe('openmetrics');
    expect(negotiateFormat('text/plain;q=0.9, application/openmetrics-text;q=0.2')).toBe('prometheus');
    expect(negotiateFormat('application/json')).toBeUndefined();
    expect(negotiateFormat('text/*;q=0')).toBeUndefined();
  });

  it('answers 406, 405 and HEAD clearly', async () => {
    const { handler } = setup({ public: true });
    expect((await handler(get({ accept: 'application/json' }))).status).toBe(406);
    const post = await handler(get({}, 'POST'));
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await handler(get({}, 'HEAD'));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('answers 500 and logs when rendering fails, without throwing', async () => {
    const { handler, registry, logger } = setup({ public: true });
    registry.registerMetric({ name: 'broken', help: 'h', type: 'gauge', get: async () => { throw new Error('collector exploded'); } } as never);
    const response = await handler(get());
    expect(response.status).toBe(500);
    expect(logger.error).toHaveBeenCalledWith('metrics endpoint failed: collector exploded', undefined);
  });
});
