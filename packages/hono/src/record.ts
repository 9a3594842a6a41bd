import { publishHttpServerRequest } from '@parapet/core';
import { channelOf } from '@parapet/core/integration';

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

/** Publish one finished request; never throws (losing one sample is better than breaking the response). */
export function publishRequest(method: string, route: string | undefined, statusCode: number, start: number, aborted: boolean, error: unknown, traceId: string | undefined): void {
  try {
    publishHttpServerRequest({
      method,
      route,
      statusCode,
      durationSeconds: (performance.now() - start) / 1000,
      aborted,
      error: serverError(error),
      traceId,
      framework: 'hono',
    });
  } catch {
    // Losing one sample is better than breaking the response.
  }
}
