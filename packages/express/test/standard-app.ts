import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { loadOtelTraceId, type MetricsHandlerOptions } from '@parapet/core';
import { SLOW_MS, STREAM_CHUNKS, STREAM_GAP_MS, TRACE_HEADER, type ConformanceTarget, type RunningApp } from '@parapet/http-conformance';
import type express from 'express';
import type { ErrorRequestHandler, Express } from 'express';
import { metricsHandler, parapet } from '../src/index.js';

type ExpressModule = typeof express;

/** The conformance suite's standard app (see @parapet/http-conformance app-spec) on Express. */
export function buildStandardApp(e: ExpressModule, metrics: MetricsHandlerOptions): Express {
  const app = e();
  app.use((req, _res, next) => {
    const traceId = req.get(TRACE_HEADER);
    if (!traceId) return next();
    const span = trace.wrapSpanContext({ traceId, spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED, isRemote: true });
    return context.with(trace.setSpan(context.active(), span), next);
  });
  app.use(parapet());
  app.get('/metrics', metricsHandler(metrics));
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

export async function listen(app: ReturnType<ExpressModule>): Promise<RunningApp> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
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

export function expressTarget(name: string, e: ExpressModule): ConformanceTarget {
  return {
    name,
    start: (metrics) => listen(buildStandardApp(e, metrics)),
    ready: loadOtelTraceId,
  };
}
