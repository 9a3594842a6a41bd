import { channelOf, publishHttpServerRequest } from '@parapet/core';
import type { Request, RequestHandler, Response } from 'express';
import { ensureAppPatched, ERROR, NOT_COUNTED, PREFIX, ROUTE, type RouteState } from './layer-patch.js';
import { resolveOptions, type ParapetExpressOptions } from './options.js';
import { loadOtelTraceId, otelTraceId } from './trace.js';

const channel = channelOf('http.server.request');

/**
 * Express 4/5 middleware: one `http.server.request` event per response, labelled by the full
 * route template. Install it first (`app.use(parapet())`). When Parapet is not attached the
 * cost is one property read. Never throws into the request: a failure here only loses a sample.
 */
export function parapet(options?: ParapetExpressOptions): RequestHandler {
  const { metricsPath, skip, traceId } = resolveOptions(options);
  if (traceId === undefined) void loadOtelTraceId();
  const readTraceId = traceId === false ? undefined : (traceId ?? otelTraceId);

  return function parapetMiddleware(req: Request, res: Response, next) {
    if (!channel.hasSubscribers) return next();
    try {
      ensureAppPatched(req.app);
      const start = performance.now();
      let trace: string | undefined;
      if (readTraceId !== undefined) {
        try {
          trace = readTraceId(req);
        } catch {
          trace = undefined;
        }
      }
      // 'close' follows 'finish' on every response, and alone when the client went away first.
      res.once('close', () => {
        try {
          const state = req as Request & RouteState;
          if (state[NOT_COUNTED]) return;
          const route = state[ROUTE] ?? (state[PREFIX] || undefined);
          if (metricsPath !== false && route === metricsPath) return;
          if (skip !== undefined && skip(req)) return;
          publishHttpServerRequest({
            method: req.method,
            route,
            statusCode: res.statusCode,
            durationSeconds: (performance.now() - start) / 1000,
            ...(!res.writableFinished && { aborted: true }),
            ...(state[ERROR] !== undefined && { error: state[ERROR] }),
            ...(trace !== undefined && { traceId: trace }),
            framework: 'express',
          });
        } catch {
          // Losing one sample is better than breaking the response.
        }
      });
    } catch {
      // Same: the request goes on without instrumentation.
    }
    next();
  };
}
