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
    expect(() => parapet({ metricPath: '/m' } as never)).toThrow(/unknown option "metricPath". Known options: metricsPath, skip, traceId/);
    expect(() => parapet({ metricsPath: 'metrics' })).toThrow(/metricsPath must be a route path starting with "\/"/);
    expect(() => parapet({ skip: true } as never)).toThrow(/skip must be a function/);
    expect(() => parapet({ traceId: 'abc' } as never)).toThrow(/traceId must be a function .* or false/);
    expect(() => parapet('fast' as never)).toThrow(/expects an options object, got string/);
  });

  it('honours skip, metricsPath and a custom traceId, and survives a throwing skip()', async () => {
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
    expect(c.events.map((e) => e.route)).toEqual(['/work']);
    expect(c.events[0]!.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
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
        await handle.detach();
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
    expect(() => instrument(express(), { skip: 1 } as never)).toThrow(/skip must be a function \(req\) => boolean/);
  });
});
