import { publishHttpServerRequest } from '@parapet/core';
import { channelOf } from '@parapet/core/integration';
import type { BodyEnd } from './timed-body.js';

/** Read `channel.hasSubscribers` before doing any per-request work. */
export const channel = channelOf('http.server.request');

/** A thrown HTTPException with a 4xx response is a deliberate answer, not a server error. */
export function serverError(error: unknown): unknown {
  if (error === undefined || error === null) return undefined;
  const e = error as { getResponse?: unknown; status?: unknown };
  if (typeof e.getResponse === 'function' && typeof e.status === 'number' && e.status < 500) return undefined;
  return error;
}

/** Whether a route template is the metrics endpoint's (`app.mount('/metrics', h)` registers `/metrics/*`). */
export function metricsRoute(metricsPath: string | false): (route: string | undefined) => boolean {
  if (metricsPath === false) return () => false;
  const mounted = `${metricsPath}/*`;
  return (route) => route === metricsPath || route === mounted;
}

/** One finished request, as the adapters record it. */
export interface RequestRecord {
  method: string;
  route: string | undefined;
  statusCode: number;
  /** `performance.now()` when the request arrived. */
  start: number;
  aborted: boolean;
  error: unknown;
  traceId: string | undefined;
}

/** Publish one finished request; never throws (losing one sample is better than breaking the response). */
export function publishRequest(r: RequestRecord): void {
  try {
    publishHttpServerRequest({
      method: r.method,
      route: r.route,
      statusCode: r.statusCode,
      durationSeconds: (performance.now() - r.start) / 1000,
      aborted: r.aborted,
      error: serverError(r.error),
      traceId: r.traceId,
      framework: 'hono',
    });
  } catch {
    // Losing one sample is better than breaking the response.
  }
}

/** Status and error of a body that ended: a body that failed midway is a server failure (500). */
export function bodyOutcome(status: number, end: BodyEnd, error: unknown): { statusCode: number; aborted: boolean; error: unknown } {
  if (typeof end === 'object') return { statusCode: end.aborted ? status : end.statusCode, aborted: end.aborted, error: end.error };
  if (end === 'failed') return { statusCode: status >= 500 ? status : 500, aborted: false, error: error ?? new Error('response body failed') };
  return { statusCode: status, aborted: end === 'aborted', error: undefined };
}
