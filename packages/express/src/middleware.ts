import { channelOf, loadOtelTraceId, otelTraceId, publishHttpServerRequest } from '@parapet/core';
import type { Request, RequestHandler, Response } from 'express';
import { ensureAppPatched, ERROR, NOT_COUNTED, PREFIX, ROUTE, type RouteState } from './layer-patch.js';
import { resolveOptions, type ParapetExpressOptions } from './options.js';

const channel = channelOf('http.server.request');

const START = Symbol('parapet.start');
const TRACE = Symbol('parapet.traceId');

interface Timing {
  [START]?: number;
  [TRACE]?: string | undefined;
}

/**
 * Express 4/5 middleware: one `http.server.request` event per response, labelled by the full
 * route template. Install it first (`app.use(parapet())`). When Parapet is not attached the
 * cost is one property read. Never throws into the request: a failure here only loses a sample.
 */
export function parapet(options?: ParapetExpressOptions): RequestHandler {
  const { metricsPath, skip, traceId } = resolveOptions(options);
  if (traceId === undefined) void loadOtelTraceId();
  const readTraceId = traceId === false ? undefined : (traceId ?? otelTraceId);

  // One listener shared by all responses (no closure per request); per-request values ride on req.
  // 'close' follows 'finish' on every response, and comes alone when the client went away first.
  function onClose(this: Response): void {
    try {
      const req = this.req as Request & RouteState & Timing;
      if (req[NOT_COUNTED]) return;
      const route = req[ROUTE] ?? (req[PREFIX] || undefined);
      if (metricsPath !== false && route === metricsPath) return;
      if (skip !== undefined && skip(req)) return;
      publishHttpServerRequest({
        method: req.method,
        route,
        statusCode: this.statusCode,
        durationSeconds: (performance.now() - req[START]!) / 1000,
        aborted: !this.writableFinished,
        error: req[ERROR],
        traceId: req[TRACE],
        framework: 'express',
      });
    } catch {
      // Losing one sample is better than breaking the response.
    }
  }

  return function parapetMiddleware(req: Request, res: Response, next) {
    if (!channel.hasSubscribers) return next();
    try {
      ensureAppPatched(req.app);
      const timing = req as Request & Timing;
      timing[START] = performance.now();
      if (readTraceId !== undefined) {
        try {
          timing[TRACE] = readTraceId(req);
        } catch {
          // No exemplar for this request.
        }
      }
      res.on('close', onClose);
    } catch {
      // The request goes on without instrumentation.
    }
    next();
  };
}
