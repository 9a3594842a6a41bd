import { randomBytes } from 'node:crypto';
import { attach, type MetricsHandlerOptions, type ParapetHandle } from '@parapet/core';
import { HTTP_DURATION_BUCKETS } from '@parapet/core/integration';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { FAILING_ROUTES, SLOW_MS, STREAM_CHUNKS, STREAM_GAP_MS, TEMPLATES, type ConformanceTarget, type RunningApp } from './app-spec.js';
import { abortedGet, pipelinedGets, rawExchange, statusOf } from './client.js';
import { installContextManager, TRACE_HEADER } from './context-manager.js';
import { DURATION, expectedZeroSeries, parseExposition, REQUESTS, requestCounts, seriesKey, valuesOf, type Sample } from './exposition.js';
import { EXPECTED, play, TRAFFIC } from './traffic.js';

const OPENMETRICS = 'application/openmetrics-text; version=1.0.0';

/**
 * Distinct paths in the cardinality attack: 20x the default series cap (1,000), sent over 8
 * keep-alive connections with bounded pipelining, so it finishes well within its timeout on a
 * busy 2-core machine. The assertion is on the series left behind, never on speed.
 */
const ATTACK_PATHS = 20_000;
const DEFAULT_MAX_SERIES = 1000;

/**
 * How long to wait for an expected series before failing. Generous on purpose: on a busy 2-core
 * machine a response can take seconds to be recorded; a passing run returns as soon as it holds.
 */
export const DEADLINE_MS = 15_000;

/** Test timeout for cases that wait on a condition: well past DEADLINE_MS, so the condition's own failure is what is reported. */
const SLOW_TEST = { timeout: 60_000 };

export interface Session {
  app: RunningApp;
  handle: ParapetHandle;
  registry: Registry;
  scrape(accept?: string): Promise<Sample[]>;
}

/** Attach Parapet to a fresh registry, serve the standard app, and clean both up afterwards. */
export async function withSession<T>(target: ConformanceTarget, fn: (s: Session) => Promise<T>, metrics: Omit<MetricsHandlerOptions, 'registry'> = { public: true }): Promise<T> {
  const registry = new Registry();
  const handle = attach({ registry, families: ['http.server.request'] });
  const app = await target.start({ registry, ...metrics });
  const scrape = async (accept?: string) => {
    const res = await fetch(`${app.url}/metrics`, accept ? { headers: { accept } } : {});
    expect(res.status).toBe(200);
    return parseExposition(await res.text());
  };
  try {
    return await fn({ app, handle, registry, scrape });
  } finally {
    await app.close();
    await handle.close();
  }
}

/** Retry an assertion until it holds: responses are counted when the connection side settles. */
export async function eventually(check: () => Promise<void>, timeoutMs = DEADLINE_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

const histogramCounts = (samples: readonly Sample[]) => valuesOf(samples, `${DURATION}_count`);
const httpSeriesCount = (samples: readonly Sample[]) => samples.filter((s) => s.name === REQUESTS || s.name === `${DURATION}_bucket`).length;
const seriesKeys = (samples: readonly Sample[]) => [...valuesOf(samples, REQUESTS).keys()].sort();
const randomSegment = () => randomBytes(6).toString('base64url');
const ALLOWED_ROUTES: ReadonlySet<string> = new Set(TEMPLATES);

/** Every HTTP series label is a template of the app or `_unmatched`: nothing from a raw path. */
function expectOnlyTemplates(samples: readonly Sample[]): void {
  for (const s of samples) {
    if (s.name !== REQUESTS && !s.name.startsWith(DURATION)) continue;
    expect(ALLOWED_ROUTES, `route label ${s.labels.route}`).toContain(s.labels.route);
  }
}

/**
 * The conformance suite. Every HTTP adapter runs it against a real server on 127.0.0.1 and
 * must leave exactly the same series for the same traffic.
 */
export function describeConformance(target: ConformanceTarget): void {
  describe(`HTTP conformance: ${target.name}`, () => {
    it('records the shared traffic as exactly the expected series, with matching histogram counts', SLOW_TEST, async () => {
      await withSession(target, async ({ app, scrape }) => {
        await play(app.url, TRAFFIC);
        await eventually(async () => {
          const samples = await scrape();
          expect(requestCounts(samples)).toEqual(EXPECTED);
          expect(valuesOf(samples, REQUESTS, (s) => s.value === 0)).toEqual(expectedZeroSeries(EXPECTED));
          expect(histogramCounts(samples)).toEqual(EXPECTED);
        });
        const samples = await scrape();
        const names = new Set(samples.filter((s) => s.name.startsWith('parapet_http')).map((s) => s.name));
        expect([...names].sort()).toEqual([`${DURATION}_bucket`, `${DURATION}_count`, `${DURATION}_sum`, REQUESTS]);
        const buckets = samples.filter((s) => s.name === `${DURATION}_bucket` && s.labels.route === '/health').map((s) => s.labels.le);
        expect(buckets).toEqual([...HTTP_DURATION_BUCKETS.map(String), '+Inf']);
        for (const s of samples.filter((x) => x.name === REQUESTS)) {
          expect(Object.keys(s.labels).sort()).toEqual(['method', 'route', 'status_class', 'status_code']);
        }
      });
    });

    it('times a streaming response to the end of the stream, not to the handler returning', SLOW_TEST, async () => {
      await withSession(target, async ({ app, scrape }) => {
        const started = Date.now();
        const res = await fetch(`${app.url}/stream`);
        const body = await res.text();
        expect(body.length).toBeGreaterThan(0);
        expect(Date.now() - started).toBeGreaterThanOrEqual((STREAM_CHUNKS - 1) * STREAM_GAP_MS - 20);
        const minSeconds = ((STREAM_CHUNKS - 1) * STREAM_GAP_MS - 20) / 1000;
        await eventually(async () => {
          const samples = await scrape();
          const sum = valuesOf(samples, `${DURATION}_sum`).get('/stream GET 2xx 200');
          expect(sum).toBeGreaterThanOrEqual(minSeconds);
          const fast = valuesOf(samples, `${DURATION}_bucket`, (s) => s.labels.le === '0.25').get('/stream GET 2xx 200');
          expect(fast).toBe(0);
        });
      });
    });

    it('records a client abort as status_class="aborted", status_code="499", once', SLOW_TEST, async () => {
      await withSession(target, async ({ app, scrape }) => {
        await abortedGet(app.url, '/slow', 100);
        await eventually(async () => {
          expect(requestCounts(await scrape()).get('/slow GET aborted 499')).toBe(1);
        });
        // The handler finishes later; the request must not be counted a second time.
        await new Promise((r) => setTimeout(r, SLOW_MS));
        const requests = requestCounts(await scrape());
        expect([...requests.keys()].filter((k) => k.startsWith('/slow'))).toEqual(['/slow GET aborted 499']);
      });
    });

    it('records a response that fails after its headers were sent as a server failure (500), never as an abort', SLOW_TEST, async () => {
      await withSession(target, async ({ app, scrape }) => {
        for (const path of FAILING_ROUTES) {
          // The client sees a truncated response (or a reset); it did not go away.
          const res = await fetch(app.url + path).catch(() => undefined);
          await res?.text().catch(() => undefined);
        }
        await eventually(async () => {
          const requests = requestCounts(await scrape());
          for (const path of FAILING_ROUTES) expect(requests.get(`${path} GET 5xx 500`), path).toBe(1);
          expect([...requests.keys()].filter((k) => k.includes('aborted'))).toEqual([]);
        }, DEADLINE_MS);
      });
    });

    it('records what the client got for a request body: 400 for bad JSON (route kept), 499 when the client leaves mid-body, 400 when Node rejects the framing', SLOW_TEST, async () => {
      await withSession(target, async ({ app, scrape }) => {
        const host = new URL(app.url).host;
        const ok = await fetch(`${app.url}/echo`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
        expect(await ok.json()).toEqual({ a: 1 });
        const bad = await fetch(`${app.url}/echo`, { method: 'POST', body: '{"a":', headers: { 'content-type': 'application/json' } });
        await bad.arrayBuffer();
        expect(bad.status).toBe(400);
        // Headers and part of the body, then the client goes away.
        await rawExchange(app.url, `POST /echo HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":`, 200);
        await eventually(async () => {
          expect(requestCounts(await scrape()).get('/echo POST aborted 499')).toBe(1);
        }, DEADLINE_MS);
        // Chunked framing Node cannot parse: Node itself answers 400.
        const framing = await rawExchange(app.url, `POST /echo HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n{"a":1}\r\n0\r\n\r\n`);
        expect(statusOf(framing)).toBe(400);
        await eventually(async () => {
          const requests = requestCounts(await scrape());
          expect([...requests].filter(([k]) => k.startsWith('/echo') || k.includes('POST'))).toEqual([
            ['/echo POST 2xx 200', 1],
            ['/echo POST 4xx 400', 2],
            ['/echo POST aborted 499', 1],
          ]);
        }, DEADLINE_MS);
      });
    });

    it('answers other methods on the metrics path 405 with Allow, and never counts the metrics path', SLOW_TEST, async () => {
      await withSession(target, async ({ app, scrape }) => {
        for (const method of ['POST', 'DELETE', 'PUT']) {
          const res = await fetch(`${app.url}/metrics`, { method });
          await res.arrayBuffer();
          expect(res.status, method).toBe(405);
          expect(res.headers.get('allow')).toBe('GET, HEAD');
        }
        const head = await fetch(`${app.url}/metrics`, { method: 'HEAD' });
        expect(head.status).toBe(200);
        await play(app.url, [{ method: 'GET', path: '/health' }]);
        await eventually(async () => {
          expect(requestCounts(await scrape())).toEqual(new Map([['/health GET 2xx 200', 1]]));
        }, DEADLINE_MS);
      });
    });

    it('serves /metrics with token auth and content negotiation, and never counts the scrape', SLOW_TEST, async () => {
      await withSession(
        target,
        async ({ app }) => {
          expect((await fetch(`${app.url}/metrics`)).status).toBe(401);
          expect((await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
          const text = await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer s3cret' } });
          expect(text.status).toBe(200);
          expect(text.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
          await text.text();
          const om = await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer s3cret', accept: OPENMETRICS } });
          expect(om.headers.get('content-type')).toMatch(/^application\/openmetrics-text/);
          expect(await om.text()).toMatch(/# EOF\s*$/);
          await play(app.url, [{ method: 'GET', path: '/health' }]);
          await eventually(async () => {
            const res = await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer s3cret' } });
            const requests = requestCounts(parseExposition(await res.text()));
            expect(requests).toEqual(new Map([['/health GET 2xx 200', 1]]));
          });
        },
        { tokens: ['s3cret'] },
      );
    });

    it('refuses /metrics in production without a token (secure default)', SLOW_TEST, async () => {
      await withSession(
        target,
        async ({ app }) => {
          const res = await fetch(`${app.url}/metrics`);
          expect(res.status).toBe(403);
          expect(await res.text()).toMatch(/PARAPET_METRICS_TOKENS/);
        },
        { environment: 'production', tokens: [], logger: { error() {}, warn() {}, info() {}, debug() {} } as never },
      );
    });

    it('attaches the active trace id as an exemplar in OpenMetrics only, never as a label', SLOW_TEST, async () => {
      installContextManager();
      await target.ready?.();
      await withSession(target, async ({ app, scrape }) => {
        const traceId = randomBytes(16).toString('hex');
        await play(app.url, [{ method: 'GET', path: '/users/42' }], { [TRACE_HEADER]: traceId });
        await eventually(async () => {
          const om = await scrape(OPENMETRICS);
          const withExemplar = om.filter((s) => s.exemplar?.trace_id === traceId);
          expect(withExemplar.length).toBe(1);
          expect(withExemplar[0]!.name).toBe(`${DURATION}_bucket`);
          expect(seriesKey(withExemplar[0]!.labels)).toBe('/users/:id GET 2xx 200');
        });
        const text = await fetch(`${app.url}/metrics`).then((r) => r.text());
        expect(text).not.toContain(traceId);
        for (const s of await scrape(OPENMETRICS)) expect(Object.values(s.labels)).not.toContain(traceId);
      });
    });

    it(`survives a ${ATTACK_PATHS.toLocaleString('en')}-path cardinality attack (${ATTACK_PATHS / DEFAULT_MAX_SERIES}x the series cap) without a single new series`, { timeout: 180_000 }, async () => {
      await withSession(target, async ({ app, scrape }) => {
        await play(app.url, [
          { method: 'GET', path: '/users/1' },
          { method: 'GET', path: '/orgs/a/users/1' },
          { method: 'GET', path: '/first-unmatched' },
        ]);
        let before: Sample[] = [];
        await eventually(async () => {
          before = await scrape();
          expect(valuesOf(before, REQUESTS).get('_unmatched GET 4xx 404')).toBe(1);
        });
        const paths: string[] = [];
        let unmatched = 0;
        for (let i = 0; i < ATTACK_PATHS; i++) {
          const kind = i % 5;
          if (kind === 3) paths.push(`/users/${randomSegment()}`);
          else if (kind === 4) paths.push(`/orgs/${randomSegment()}/users/${randomSegment()}`);
          else {
            unmatched++;
            paths.push(kind === 0 ? `/${randomSegment()}` : kind === 1 ? `/wp-admin/${randomSegment()}.php` : `/users/${randomSegment()}/${randomSegment()}`);
          }
        }
        await pipelinedGets(app.url, paths);
        await eventually(async () => {
          const after = await scrape();
          expect(valuesOf(after, REQUESTS).get('_unmatched GET 4xx 404')).toBe(1 + unmatched);
          expect(valuesOf(after, REQUESTS).get('/users/:id GET 2xx 200')).toBe(1 + ATTACK_PATHS / 5);
          expect(httpSeriesCount(after)).toBe(httpSeriesCount(before));
          expectOnlyTemplates(after);
        });
      });
    });

    it('answers bad input without throwing and without a series carrying any of it', SLOW_TEST, async () => {
      await withSession(target, async ({ app, scrape }) => {
        const host = new URL(app.url).host;
        const round = (tag: string) => [
          `GET /%E0%A4%ZZ${tag} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
          `GET /users/%E0%A4%ZZ${tag} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
          `GET /users/%00${tag} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
          `GET /${'x'.repeat(8000)}${tag} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
          `GET /${'y'.repeat(20000)}${tag} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
          `GET /health HTTP/1.0\r\n\r\n`,
          `GET /nope-${tag} HTTP/1.0\r\n\r\n`,
          `PURGE /users/${tag} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
          `MKCOL /${tag} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
          `FROB${tag.replace(/[^A-Z]/gi, '')} / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
          `get /health HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
          `GET http://evil.example/${tag} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
          `GET //${tag}//../..//x HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
          `GET /caf\xe9-${tag} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
          `GET /health HTTP/1.1\r\nHost: bad host[]/${tag}\r\nConnection: close\r\n\r\n`,
        ];
        const send = async (tag: string) => {
          for (const bytes of round(tag)) {
            const answer = await rawExchange(app.url, bytes);
            // Every request gets an HTTP answer (the server may refuse it, but it answers).
            expect(statusOf(answer), `answer to ${JSON.stringify(bytes.slice(0, 60))}`).toBeGreaterThanOrEqual(200);
          }
        };
        // Three rounds of the same requests with different random parts. Whatever each round
        // leaves, it must land in the same series: every count a multiple of 3, only templates.
        await send('first');
        await send(randomSegment());
        await send(randomSegment());
        await eventually(async () => {
          const after = await scrape();
          expectOnlyTemplates(after);
          const counts = [...valuesOf(after, REQUESTS).entries()].filter(([, v]) => v > 0);
          // The middleware was really in the path.
          expect(counts.reduce((a, [, v]) => a + v, 0)).toBeGreaterThanOrEqual(3);
          for (const [key, value] of counts) expect(value % 3, `${key} counted ${value} times over 3 rounds`).toBe(0);
        });
        const health = await fetch(`${app.url}/health`);
        expect(health.status).toBe(200);
      });
    });
  });
}
