import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pipeline, Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import type { MetricsHandlerOptions } from '@parapet/core';
import { loadOtelTraceId } from '@parapet/core/integration';
import { SLOW_MS, STREAM_CHUNKS, STREAM_GAP_MS, TRACE_HEADER, type ConformanceTarget, type RunningApp } from '@parapet/http-conformance';
import type express from 'express';
import type { ErrorRequestHandler, Express } from 'express';
import { instrument, metricsHandler, parapet } from '../src/index.js';

type ExpressModule = typeof express;

/** The conformance suite's standard app (see @parapet/http-conformance app-spec) on Express. */
/** Run `fn` inside a span carrying the test's trace id header, as OTel instrumentation would. */
function withHeaderSpan<T>(header: string | string[] | undefined, fn: () => T): T {
  if (typeof header !== 'string' || header === '') return fn();
  const span = trace.wrapSpanContext({ traceId: header, spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED, isRemote: true });
  return context.with(trace.setSpan(context.active(), span), fn);
}

export type Mode = 'middleware' | 'instrument';

/** Express 4's application has `lazyrouter()`; Express 5 dropped it. */
const isExpress5 = (e: ExpressModule): boolean => typeof (e.application as { lazyrouter?: unknown }).lazyrouter !== 'function';

export function buildStandardApp(e: ExpressModule, metrics: MetricsHandlerOptions, mode: Mode = 'middleware'): Express {
  const app = e();
  if (mode === 'middleware') {
    // The span starts in app middleware (as @opentelemetry/instrumentation-express would); parapet() runs inside it.
    app.use((req, _res, next) => withHeaderSpan(req.get(TRACE_HEADER), next));
    app.use(parapet());
  } else {
    // No middleware at all: instrument() reads the trace id as the request enters the app.
    instrument(app);
  }
  app.get('/metrics', metricsHandler(metrics));
  // App-level body parser, as most apps have: its 400 on a bad body must keep the route's label.
  app.use(e.json());
  app.post('/echo', (req, res) => {
    res.json(req.body);
  });
  app.get('/fail/write', (_req, res, next) => {
    res.setHeader('content-type', 'text/plain');
    res.write('partial\n');
    setImmediate(() => next(new Error('failed after the first write')));
  });
  const asyncFailure = async (res: express.Response) => {
    res.setHeader('content-type', 'text/plain');
    res.write('partial\n');
    await new Promise((r) => setImmediate(r));
    throw new Error('async failure after the first write');
  };
  // Express 5 forwards a rejected promise to next(err); Express 4 needs the catch.
  app.get('/fail/async', isExpress5(e) ? (_req, res) => asyncFailure(res) : (_req, res, next) => void asyncFailure(res).catch(next));
  app.get('/fail/stream', (_req, res) => {
    let sent = 0;
    const source = new Readable({
      read() {
        if (sent++ === 0) this.push('partial\n');
        else setImmediate(() => this.destroy(new Error('source failed midway')));
      },
    });
    res.setHeader('content-type', 'text/plain');
    pipeline(source, res, () => {});
  });
  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/users/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  app.options('/users/:id', (_req, res) => {
    res.set('allow', 'GET, HEAD, OPTIONS').status(204).end();
  });
  app.post('/users', (_req, res) => {
    res.status(201).json({ created: true });
  });
  const users = e.Router({ mergeParams: true });
  users.get('/:id', (req, res) => {
    res.json({ org: (req.params as Record<string, string>).org, id: req.params.id });
  });
  app.use('/orgs/:org/users', users);
  app.get('/boom', () => {
    throw new Error('boom');
  });
  app.get('/recover', () => {
    throw new Error('recoverable');
  });
  app.get('/stream', (_req, res) => {
    res.setHeader('content-type', 'text/plain');
    let sent = 0;
    const write = () => {
      res.write(`chunk ${sent}\n`);
      if (++sent < STREAM_CHUNKS) setTimeout(write, STREAM_GAP_MS);
      else res.end();
    };
    write();
  });
  app.get('/slow', (_req, res) => {
    setTimeout(() => {
      if (!res.destroyed) res.json({ slow: true });
    }, SLOW_MS);
  });
  // The app's own 404, as most apps have (cheaper than Express's HTML page under 100k requests).
  app.use((_req, res) => {
    res.status(404).send('Not Found');
  });
  const recover: ErrorRequestHandler = (err, _req, res, next) => {
    if (err instanceof Error && err.message === 'recoverable') res.status(200).send('recovered');
    else next(err);
  };
  app.use(recover);
  // Like Express's default handler (honours err.status), without logging the stack.
  const fallback: ErrorRequestHandler = (err, _req, res, _next) => {
    const status = typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : 500;
    res.status(status).send(status === 500 ? 'Internal Server Error' : 'Bad Request');
  };
  app.use(fallback);
  return app;
}

export async function listen(app: ReturnType<ExpressModule>, mode: Mode = 'middleware'): Promise<RunningApp> {
  // In instrument mode the span must already be active when the request enters the app (HTTP-level instrumentation).
  const listener = mode === 'instrument' ? (req: IncomingMessage, res: ServerResponse) => withHeaderSpan(req.headers[TRACE_HEADER], () => app(req as never, res as never)) : app;
  const server: Server = await new Promise((resolve) => {
    const s = createServer(listener as never).listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function expressTarget(name: string, e: ExpressModule, mode: Mode = 'middleware'): ConformanceTarget {
  return {
    name: mode === 'middleware' ? name : `${name}, instrument()`,
    start: (metrics) => listen(buildStandardApp(e, metrics, mode), mode),
    ready: loadOtelTraceId,
  };
}
