import { channelOf, publishHttpServerRequest } from '@parapet/core';
import type { Context, MiddlewareHandler } from 'hono';
import { isExcluded } from './metrics.js';
import { resolveOptions, type ParapetHonoOptions } from './options.js';
import { answeredRoute } from './route.js';
import { timedBody } from './timed-body.js';
import { loadOtelTraceId, otelTraceId } from './trace.js';

const channel = channelOf('http.server.request');

/** The Node response @hono/node-server passes as `c.env.outgoing`, when there is one. */
interface NodeOutgoing {
  once(event: 'close', listener: () => void): unknown;
  readonly writableFinished: boolean;
  readonly statusCode: number;
}

function nodeOutgoing(env: unknown): NodeOutgoing | undefined {
  const out = (env as { outgoing?: Partial<NodeOutgoing> } | undefined)?.outgoing;
  return out && typeof out.once === 'function' && typeof out.writableFinished === 'boolean' ? (out as NodeOutgoing) : undefined;
}

/** A thrown HTTPException with a 4xx response is a deliberate answer, not a server error. */
function serverError(error: unknown): unknown {
  if (error === undefined || error === null) return undefined;
  const e = error as { getResponse?: unknown; status?: unknown };
  if (typeof e.getResponse === 'function' && typeof e.status === 'number' && e.status < 500) return undefined;
  return error;
}

/**
 * Hono 4 middleware: one `http.server.request` event per response, labelled by the matched
 * route template. Install it first: `app.use(parapet())`. Timing ends when the response body
 * has been sent — for streams, at the end of the stream — or when the client aborts. When
 * Parapet is not attached the cost is one property read. Never throws into the request.
 */
export function parapet(options?: ParapetHonoOptions): MiddlewareHandler {
  const { metricsPath, skip, traceId } = resolveOptions(options);
  if (traceId === undefined) void loadOtelTraceId();
  const readTraceId = traceId === false ? undefined : (traceId ?? otelTraceId);

  const record = (c: Context, start: number, statusCode: number, aborted: boolean, trace: string | undefined) => {
    try {
      if (isExcluded(c)) return;
      const route = answeredRoute(c);
      if (metricsPath !== false && (route === metricsPath || route === `${metricsPath}/*`)) return;
      if (skip !== undefined && skip(c)) return;
      const error = serverError(c.error);
      publishHttpServerRequest({
        method: c.req.method,
        route,
        statusCode,
        durationSeconds: (performance.now() - start) / 1000,
        ...(aborted && { aborted: true }),
        ...(error !== undefined && { error }),
        ...(trace !== undefined && { traceId: trace }),
        framework: 'hono',
      });
    } catch {
      // Losing one sample is better than breaking the response.
    }
  };

  return async function parapetMiddleware(c, next) {
    if (!channel.hasSubscribers) return next();
    const start = performance.now();
    let trace: string | undefined;
    let outgoing: NodeOutgoing | undefined;
    try {
      trace = readTraceId?.(c);
      outgoing = nodeOutgoing(c.env);
      // On Node the response object says when the last byte left, streams included.
      if (outgoing !== undefined) {
        const out = outgoing;
        out.once('close', () => record(c, start, out.statusCode, !out.writableFinished, trace));
      }
    } catch {
      outgoing = undefined;
    }
    await next();
    if (outgoing !== undefined) return;
    try {
      const res = c.res;
      if (res.body === null) {
        record(c, start, res.status, false, trace);
      } else {
        const status = res.status;
        c.res = new Response(timedBody(res.body, (aborted) => record(c, start, status, aborted, trace)), res);
      }
    } catch {
      // The response stands as the handler made it.
    }
  };
}
