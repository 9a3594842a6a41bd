import { channelOf, publishHttpServerRequest } from '@parapet/core';
import type { Context, MiddlewareHandler } from 'hono';
import { isExcluded } from './metrics.js';
import { resolveOptions, type ParapetHonoOptions } from './options.js';
import { answeredRoute } from './route.js';
import { timedBody } from './timed-body.js';
import { loadOtelTraceId, otelTraceId } from './trace.js';

const channel = channelOf('http.server.request');

const PENDING = Symbol('parapet.pending');

interface Pending {
  [PENDING]?: { c: Context; start: number; trace: string | undefined } | undefined;
}

/** The Node response @hono/node-server passes as `c.env.outgoing`, when there is one. */
interface NodeOutgoing {
  on(event: 'close', listener: () => void): unknown;
  readonly writableFinished: boolean;
  readonly statusCode: number;
}

function nodeOutgoing(env: unknown): NodeOutgoing | undefined {
  const out = (env as { outgoing?: Partial<NodeOutgoing> } | undefined)?.outgoing;
  return out && typeof out.on === 'function' && typeof out.writableFinished === 'boolean' ? (out as NodeOutgoing) : undefined;
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
  // `app.mount('/metrics', handler)` registers `/metrics/*`.
  const mountedMetricsPath = metricsPath === false ? undefined : `${metricsPath}/*`;

  const record = (c: Context, start: number, statusCode: number, aborted: boolean, trace: string | undefined) => {
    try {
      if (isExcluded(c)) return;
      const route = answeredRoute(c);
      if (metricsPath !== false && (route === metricsPath || route === mountedMetricsPath)) return;
      if (skip !== undefined && skip(c)) return;
      const error = serverError(c.error);
      publishHttpServerRequest({
        method: c.req.method,
        route,
        statusCode,
        durationSeconds: (performance.now() - start) / 1000,
        aborted,
        error,
        traceId: trace,
        framework: 'hono',
      });
    } catch {
      // Losing one sample is better than breaking the response.
    }
  };

  // One listener shared by all responses (no closure per request); the request rides on the response.
  function onClose(this: NodeOutgoing & Pending): void {
    const pending = this[PENDING];
    if (pending === undefined) return;
    this[PENDING] = undefined;
    record(pending.c, pending.start, this.statusCode, !this.writableFinished, pending.trace);
  }

  /** Without a Node response to watch, the end of the body is the end of the response. */
  const timeBody = async (c: Context, next: () => Promise<void>, start: number, trace: string | undefined) => {
    await next();
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

  // Not async: on Node nothing runs after next(), so no extra promise per request.
  return function parapetMiddleware(c, next) {
    if (!channel.hasSubscribers) return next();
    const start = performance.now();
    let trace: string | undefined;
    try {
      trace = readTraceId?.(c);
    } catch {
      trace = undefined;
    }
    let outgoing: NodeOutgoing | undefined;
    try {
      outgoing = nodeOutgoing(c.env);
    } catch {
      outgoing = undefined;
    }
    if (outgoing === undefined) return timeBody(c, next, start, trace);
    // On Node the response object says when the last byte left, streams included.
    const out = outgoing as NodeOutgoing & Pending;
    out[PENDING] = { c, start, trace };
    out.on('close', onClose);
    return next();
  };
}
