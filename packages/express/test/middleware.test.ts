import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rawExchange } from '@parapet/http-conformance';
import { attach } from '@parapet/core';
import express from 'express';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { instrument, parapet } from '../src/index.js';
import { collectEvents, requestAll, serving } from './helpers.js';

let stop: (() => void) | undefined;
afterEach(() => stop?.());

describe('parapet() options', () => {
  it('rejects bad options with a message that says what to pass', () => {
    expect(() => parapet({ metricPath: '/m' } as never)).toThrow('@parapet/express parapet(): unknown option "metricPath" (did you mean "metricsPath"?)');
    expect(() => parapet({ metricsPath: 'metrics' })).toThrow(/option "metricsPath": must be a route path starting with "\/"/);
    expect(() => parapet({ skip: true } as never)).toThrow(/option "skip" must be a function/);
    expect(() => parapet({ traceId: 'abc' } as never)).toThrow(/option "traceId": must be a function .* or false/);
    expect(() => parapet('fast' as never)).toThrow(/the options must be an object, got the string "fast"/);
    expect(() => parapet({ buckets: [1, 0.5] })).toThrow(/option "buckets": bucket bounds must be in strictly ascending order/);
    expect(() => parapet({ buckets: Array.from({ length: 21 }, (_, i) => i + 1) })).toThrow(/at most 20 bucket bounds/);
    expect(() => parapet({ defaultMetrics: { prefx: 'a' } } as never)).toThrow(/unknown option "defaultMetrics.prefx"/);
    expect(() => parapet({ metricsPath: '/a', metrics: {} })).toThrow(/metricsPath \("\/a"\) and metrics.path \("\/metrics"\) disagree/);
    expect(() => parapet({ metrics: { tokns: 'x' } } as never)).toThrow(/tokns/);
  });

  it('honours skip, metricsPath and a custom traceId, and records the request when skip() throws', async () => {
    const c = collectEvents();
    stop = c.stop;
    const app = express();
    app.use(
      parapet({
        metricsPath: '/internal/metrics',
        skip: (req) => {
          if (req.path === '/explode') throw new Error('skip blew up');
          return req.path === '/healthz';
        },
        traceId: (req) => req.get('x-trace') ?? undefined,
      }),
    );
    app.get('/internal/metrics', (_req, res) => void res.send('m'));
    app.get('/healthz', (_req, res) => void res.send('ok'));
    app.get('/explode', (_req, res) => void res.send('still served'));
    app.get('/work', (_req, res) => void res.send('done'));
    await serving(app, async (url) => {
      expect(await (await fetch(`${url}/explode`)).text()).toBe('still served');
      for (const path of ['/internal/metrics', '/healthz']) await (await fetch(url + path)).arrayBuffer();
      await requestAll(url, ['/work'], c.events, { headers: { 'x-trace': '4bf92f3577b34da6a3ce929d0e0e4736' } });
    });
    expect(c.events.map((e) => e.route)).toEqual(['/explode', '/work']);
    expect(c.events[1]!.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('counts the metrics path when metricsPath is false; traceId: false sends no exemplar', async () => {
    const c = collectEvents();
    stop = c.stop;
    const app = express();
    app.use(parapet({ metricsPath: false, traceId: false }));
    app.get('/metrics', (_req, res) => void res.send('m'));
    await serving(app, (url) => requestAll(url, ['/metrics'], c.events));
    expect(c.events).toHaveLength(1);
    expect(c.events[0]!.route).toBe('/metrics');
    expect(c.events[0]!.traceId).toBeUndefined();
  });

  it('does nothing while Parapet is not attached, then records once it is', async () => {
    const app = express();
    app.use(parapet());
    app.get('/x', (_req, res) => void res.send('x'));
    const registry = new Registry();
    await serving(app, async (url) => {
      expect(await (await fetch(`${url}/x`)).text()).toBe('x');
      expect(await registry.getMetricsAsJSON()).toEqual([]);
      const handle = attach({ registry, families: ['http.server.request'] });
      try {
        await (await fetch(`${url}/x`)).text();
        await new Promise((r) => setTimeout(r, 20));
        const text = await registry.metrics();
        expect(text).toContain('parapet_http_server_requests_total{route="/x",method="GET",status_class="2xx",status_code="200"} 1');
      } finally {
        await handle.close();
      }
    });
  });
});

describe('instrument(app)', () => {
  it('rejects what is not an Express app, a second call, and bad options', () => {
    expect(() => instrument({} as never)).toThrow('@parapet/express: instrument(app) expects an Express application (express()), got object.');
    const app = express();
    expect(instrument(app)).toBe(app);
    expect(() => instrument(app)).toThrow('@parapet/express: this app is already instrumented; call instrument(app) once.');
    expect(() => instrument(express(), { skip: 1 } as never)).toThrow('@parapet/express instrument(app, options): option "skip" must be a function, got number 1');
  });
});

describe('user callbacks', () => {
  for (const mode of ['middleware', 'instrument'] as const) {
    it(`${mode}: traceId gets an Express request; throwing skip/traceId are counted and logged, and the request is recorded`, async () => {
      const registry = new Registry();
      const logged: string[] = [];
      const logger = { error: (m: string) => logged.push(m), warn: () => {}, info: () => {}, debug: () => {} };
      const handle = attach({ registry, families: ['http.server.request'], logger: logger as never });
      try {
        const options = {
          traceId: (req: express.Request) => {
            if (req.get('x-explode') === 'trace') throw new Error('trace reader blew up');
            return req.get('x-trace') ?? undefined;
          },
          skip: (req: express.Request) => {
            if (req.get('x-explode') === 'skip') throw new Error('skip blew up');
            return false;
          },
        };
        const app = express();
        if (mode === 'middleware') app.use(parapet(options));
        else instrument(app, options);
        app.get('/work', (_req, res) => void res.send('done'));
        await serving(app, async (url) => {
          for (const headers of [{ 'x-trace': '4bf92f3577b34da6a3ce929d0e0e4736' }, { 'x-explode': 'trace' }, { 'x-explode': 'skip' }] as Record<string, string>[]) {
            expect(await (await fetch(`${url}/work`, { headers })).text()).toBe('done');
          }
          await eventuallyText(registry, 'parapet_http_server_requests_total{route="/work",method="GET",status_class="2xx",status_code="200"} 3');
        });
        const text = await registry.metrics();
        expect(text).toContain('parapet_internal_errors_total{component="core.http_trace_id"} 1');
        expect(text).toContain('parapet_internal_errors_total{component="core.http_skip"} 1');
        expect(logged.join('\n')).toMatch(/trace reader blew up/);
        expect(logged.join('\n')).toMatch(/skip blew up/);
      } finally {
        await handle.close();
      }
    });
  }
});

async function eventuallyText(registry: Registry, expected: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const text = await registry.metrics();
    if (text.includes(expected)) return;
    if (Date.now() > deadline) expect(text).toContain(expected);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a client that leaves before the request reaches the app', () => {
  for (const mode of ['middleware', 'instrument'] as const) {
    it(`${mode}: is still recorded once, as aborted, with its route`, async () => {
      const c = collectEvents();
      stop = c.stop;
      const app = express();
      if (mode === 'middleware') app.use(parapet());
      else instrument(app);
      app.get('/late/:id', (_req, res) => void setTimeout(() => res.destroyed || res.send('late'), 50));
      // The server hands the request to Express only after its response has closed.
      const server = createServer((req, res) => res.once('close', () => app(req as never, res as never)));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        await rawExchange(url, 'GET /late/1 HTTP/1.1\r\nHost: x\r\n\r\n', 100);
        const deadline = Date.now() + 15_000;
        while (c.events.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        await new Promise((r) => setTimeout(r, 100));
        expect(c.events.map((e) => [e.route, e.aborted])).toEqual([['/late/:id', true]]);
      } finally {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      }
    });
  }
});
