import { createMetricsHandler, type MetricsHandlerOptions } from '@parapet/core';
import type { Context, Handler } from 'hono';

const notCounted = new WeakSet<Context>();

/** Leave this request out of Parapet's HTTP metrics (used for the scrape itself). */
export function excludeFromMetrics(c: Context): void {
  notCounted.add(c);
}

export const isExcluded = (c: Context): boolean => notCounted.has(c);

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
