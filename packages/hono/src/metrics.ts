import { createMetricsHandler } from '@parapet/core';
import type { MetricsHandlerOptions } from '@parapet/core/integration';
import type { Context, Handler } from 'hono';

/** Contexts (for the middleware) and their requests (for `instrument()`) left out of the metrics. */
const notCounted = new WeakSet<object>();

/** Leave this request out of Parapet's HTTP metrics (used for the scrape itself). */
export function excludeFromMetrics(c: Context): void {
  notCounted.add(c);
  try {
    notCounted.add(c.req.raw);
  } catch {
    // The context is still excluded.
  }
}

/** Leave a request out of the metrics (`instrument()`, before there is a context). */
export function excludeRequest(request: Request): void {
  notCounted.add(request);
}

/** Whether a context (middleware) or a request (`instrument()`) was excluded. */
export const isExcluded = (x: Context | Request): boolean => notCounted.has(x);

/**
 * Core's /metrics endpoint, mounted as it is (it is a fetch handler already): bearer-token
 * auth, refuses to serve in production without a token unless `public: true`, OpenMetrics by
 * negotiation. The scrape is never counted. `app.get('/metrics', metricsHandler())`.
 */
export function metricsHandler(options: MetricsHandlerOptions = {}): Handler {
  const handler = createMetricsHandler(options);
  return (c) => {
    excludeFromMetrics(c);
    return handler(c.req.raw);
  };
}
