import type { Context, MiddlewareHandler } from 'hono';
import { isExcluded } from './metrics.js';
import { nodeOutgoing, watchClose, type PendingResponse } from './node.js';
import { resolveOptions, type ParapetHonoOptions } from './options.js';
import { traceIdReader } from '@parapet/core/integration';
import { channel, metricsRoute, publishRequest } from './record.js';
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
 * has been sent — for streams, at the end of the stream — or when the client aborts. When
 * Parapet is not attached the cost is one property read. Never throws into the request.
 *
 * Any middleware takes @hono/node-server off Hono's synchronous fast path; `instrument(app)`
 * records the same without one.
 */
export function parapet(options?: ParapetHonoOptions): MiddlewareHandler {
  const { metricsPath, skip, traceId } = resolveOptions<(c: Context) => boolean, (c: Context) => string | undefined>(options);
  const readTraceId = traceIdReader(traceId);
  const isMetricsRoute = metricsRoute(metricsPath);

  const record = (c: Context, start: number, statusCode: number, aborted: boolean, trace: string | undefined) => {
    try {
      if (isExcluded(c)) return;
      const route = answeredRoute(c);
      if (isMetricsRoute(route)) return;
      if (skip !== undefined && skip(c)) return;
      publishRequest(c.req.method, route, statusCode, start, aborted, c.error, trace);
    } catch {
      // Losing one sample is better than breaking the response.
    }
  };

  const finish = (p: Pending, statusCode: number, aborted: boolean) => record(p.c, p.start, statusCode, aborted, p.trace);

  /** Without a Node response to watch, the end of the body is the end of the response. */
  const timeBody = async (c: Context, next: () => Promise<void>, start: number, trace: string | undefined) => {
    await next();
    c.res = timeResponse(c.res, (status, aborted) => record(c, start, status, aborted, trace));
  };
  // Not async: on Node nothing runs after next(), so no extra promise per request.
  return function parapetMiddleware(c, next) {
    if (!channel.hasSubscribers) return next();
    const start = performance.now();
    const trace = readTraceId(c);
    const outgoing = nodeOutgoing(c.env);
    if (outgoing === undefined) return timeBody(c, next, start, trace);
    // On Node the response object says when the last byte left, streams included.
    const pending: Pending = { finish, c, start, trace };
    watchClose(outgoing, pending);
    return next();
  };
}
