import { callSkip, isMetricsMethod, metricsMethodNotAllowed, traceIdReader, type ResponseOutcome } from '@parapet/core/integration';
import type { Context, MiddlewareHandler } from 'hono';
import { excludeFromMetrics, isExcluded } from './metrics.js';
import { nodeOutgoing, watchClose, type PendingResponse } from './node.js';
import { resolveOptions, type ParapetHonoOptions } from './options.js';
import { bodyOutcome, channel, metricsRoute, publishRequest, serverError } from './record.js';
import { answeredRoute } from './route.js';
import { timeResponse } from './timed-body.js';

interface Pending extends PendingResponse {
  c: Context;
  start: number;
  trace: string | undefined;
}

/**
 * Hono 4 middleware: one `http.server.request` event per response, labelled by the matched
 * route template. Install it first: `app.use(parapet())`. Timing ends when the response body
 * has been sent — for streams, at the end of the stream — or when the client aborts; a body
 * that fails midway is a server failure (500). When Parapet is not attached the cost is one
 * property read. Never throws into the request.
 *
 * At `metricsPath` (default `/metrics`) it answers methods other than GET and HEAD with 405 and
 * `Allow: GET, HEAD`; with the `metrics` option it serves the endpoint itself.
 *
 * Any middleware takes @hono/node-server off Hono's synchronous fast path; `instrument(app)`
 * records the same without one.
 */
export function parapet(options?: ParapetHonoOptions): MiddlewareHandler {
  const { metricsPath, skip, traceId, metricsHandler } = resolveOptions<(c: Context) => boolean, (c: Context) => string | undefined>(options, 'parapet()');
  const readTraceId = traceIdReader(traceId);
  const isMetricsRoute = metricsRoute(metricsPath);

  const record = (c: Context, start: number, outcome: ResponseOutcome, trace: string | undefined) => {
    try {
      if (isExcluded(c)) return;
      const route = answeredRoute(c);
      if (isMetricsRoute(route)) return;
      if (callSkip(skip, c)) return;
      publishRequest({ method: c.req.method, route, start, traceId: trace, ...outcome });
    } catch {
      // Losing one sample is better than breaking the response.
    }
  };

  const error = (p: Pending) => serverError(p.c.error);
  const finish = (p: Pending, outcome: ResponseOutcome) => record(p.c, p.start, outcome, p.trace);

  /** Without a Node response to watch, the end of the body is the end of the response. */
  const timeBody = async (c: Context, next: () => Promise<void>, start: number, trace: string | undefined) => {
    await next();
    c.res = timeResponse(c.res, (status, end, bodyError) => {
      const outcome = bodyOutcome(status, end, bodyError);
      record(c, start, { ...outcome, error: typeof end === 'object' ? outcome.error : (outcome.error ?? c.error) }, trace);
    }, c.req.method === 'HEAD');
  };
  // Not async: on Node nothing runs after next(), so no extra promise per request.
  return function parapetMiddleware(c, next) {
    if (metricsPath !== false && c.req.path === metricsPath) {
      excludeFromMetrics(c);
      if (!isMetricsMethod(c.req.method)) return Promise.resolve(metricsMethodNotAllowed());
      if (metricsHandler !== undefined) return metricsHandler(c.req.raw);
    }
    if (!channel.hasSubscribers) return next();
    const start = performance.now();
    const trace = readTraceId(c);
    const outgoing = nodeOutgoing(c.env);
    if (outgoing === undefined) return timeBody(c, next, start, trace);
    // On Node the response object says when the last byte left, streams included.
    const pending: Pending = { error, finish, c, start, trace };
    watchClose(outgoing, pending);
    return next();
  };
}
