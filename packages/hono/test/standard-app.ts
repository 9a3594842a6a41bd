import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import type { MetricsHandlerOptions } from '@parapet/core';
import { loadOtelTraceId } from '@parapet/core/integration';
import { SLOW_MS, STREAM_CHUNKS, STREAM_GAP_MS, TRACE_HEADER, type ConformanceTarget, type RunningApp } from '@parapet/http-conformance';
import { createServer } from 'node:http';
import { toNodeHandler } from '@parapet/core/integration';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { instrument, metricsHandler, parapet } from '../src/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How Parapet is installed: `app.use(parapet())`, or `instrument(app)` with no middleware at all. */
export type HonoMode = 'middleware' | 'instrument';

/** Run `fn` with a test span active whose trace id is the request's `x-test-trace-id` header. */
function withTestSpan<T>(traceId: string | null | undefined, fn: () => T): T {
  if (!traceId) return fn();
  const span = trace.wrapSpanContext({ traceId, spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED, isRemote: true });
  return context.with(trace.setSpan(context.active(), span), fn);
}

/**
 * The conformance suite's standard app (see @parapet/http-conformance app-spec) on Hono. In
 * `instrument` mode the app has no middleware (every route stays on Hono's single-handler fast
 * path); the test span is activated around `app.fetch` instead (see listen()), where HTTP-level
 * OpenTelemetry instrumentation puts the server span.
 */
export function buildStandardApp(metrics: MetricsHandlerOptions, mode: HonoMode = 'middleware'): Hono {
  const app = new Hono();
  if (mode === 'middleware') {
    app.use((c, next) => withTestSpan(c.req.header(TRACE_HEADER), next));
    app.use(parapet());
  }
  app.get('/metrics', metricsHandler(metrics));
  app.get('/health', (c) => c.json({ ok: true }));
  app.get('/users/:id', (c) => c.json({ id: c.req.param('id') }));
  app.options('/users/:id', (c) => c.body(null, 204, { allow: 'GET, HEAD, OPTIONS' }));
  app.post('/users', (c) => c.json({ created: true }, 201));
  const orgs = new Hono();
  orgs.get('/users/:id', (c) => c.json({ org: c.req.param('org'), id: c.req.param('id') }));
  app.route('/orgs/:org', orgs);
  app.get('/boom', () => {
    throw new Error('boom');
  });
  app.get('/recover', () => {
    throw new Error('recoverable');
  });
  app.get('/stream', () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent > 0) await sleep(STREAM_GAP_MS);
        controller.enqueue(new TextEncoder().encode(`chunk ${sent}\n`));
        if (++sent === STREAM_CHUNKS) controller.close();
      },
    });
    return new Response(body, { headers: { 'content-type': 'text/plain' } });
  });
  app.get('/slow', async (c) => {
    await sleep(SLOW_MS);
    return c.json({ slow: true });
  });
  app.post('/echo', async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch (error) {
      throw new HTTPException(400, { message: 'the body is not valid JSON', cause: error });
    }
    return c.json(body);
  });
  /** A body that sends one chunk, then fails (`fail()` runs where the next chunk would come from). */
  const failingBody = (fail: () => Promise<never>) => {
    let sent = false;
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (!sent) {
          sent = true;
          controller.enqueue(new TextEncoder().encode('partial\n'));
          return;
        }
        await fail();
      },
    });
  };
  const text = { headers: { 'content-type': 'text/plain' } };
  app.get('/fail/write', () => new Response(failingBody(() => Promise.reject(new Error('failed after the first write'))), text));
  app.get('/fail/async', () =>
    new Response(
      failingBody(async () => {
        await sleep(1);
        throw new Error('async failure after the first write');
      }),
      text,
    ),
  );
  app.get('/fail/stream', () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ === 0) controller.enqueue(new TextEncoder().encode('partial\n'));
        else controller.error(new Error('source failed midway'));
      },
    });
    return new Response(body, text);
  });
  app.notFound((c) => c.text('Not Found', 404));
  app.onError((err, c) => {
    if (err instanceof HTTPException) return err.getResponse();
    return err.message === 'recoverable' ? c.text('recovered', 200) : c.text('Internal Server Error', 500);
  });
  return mode === 'instrument' ? instrument(app) : app;
}

/**
 * Where the app runs: `node` is @hono/node-server (Parapet watches the Node response); `web` is
 * `app.fetch` alone, served over a real socket by core's `toNodeHandler`, so Parapet sees only
 * the fetch `Response` (the path Bun, Deno and workers take).
 */
export type HonoServer = 'node' | 'web';

export async function listen(app: Hono, mode: HonoMode = 'middleware', runtime: HonoServer = 'node'): Promise<RunningApp> {
  const fetch: typeof app.fetch = mode === 'middleware' ? app.fetch : (request, env, ctx) => withTestSpan(request.headers.get(TRACE_HEADER), () => app.fetch(request, env, ctx));
  const server: ServerType = await new Promise((resolve) => {
    if (runtime === 'web') {
      const s = createServer(toNodeHandler((request) => fetch(request))).listen(0, '127.0.0.1', () => resolve(s));
      return;
    }
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const honoTarget: ConformanceTarget = {
  name: 'hono',
  start: (metrics) => listen(buildStandardApp(metrics)),
  ready: loadOtelTraceId,
};

export const honoInstrumentTarget: ConformanceTarget = {
  name: 'hono instrument()',
  start: (metrics) => listen(buildStandardApp(metrics, 'instrument'), 'instrument'),
  ready: loadOtelTraceId,
};

/** The same app and modes through `app.fetch` only (no Node response to watch). */
export const honoWebTargets: ConformanceTarget[] = (['middleware', 'instrument'] as const).map((mode) => ({
  name: `hono web (app.fetch via toNodeHandler)${mode === 'instrument' ? ', instrument()' : ''}`,
  start: (metrics) => listen(buildStandardApp(metrics, mode), mode, 'web'),
  ready: loadOtelTraceId,
}));
