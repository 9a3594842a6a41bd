import { createMetricsHandler } from '@parapet/core';
import type { MetricsHandlerOptions } from '@parapet/core/integration';
import type { Request, RequestHandler } from 'express';
import { toExpressHandler } from './to-express-handler.js';
import { STATE, type WithState } from './layer-patch.js';

/** Leave this request out of Parapet's HTTP metrics (used for the scrape itself). */
export function excludeFromMetrics(req: Request): void {
  const state = (req as Request & WithState)[STATE];
  if (state !== undefined) state.notCounted = true;
}

/**
 * Core's /metrics endpoint for Express: bearer-token auth, refuses to serve in production
 * without a token unless `public: true`, OpenMetrics by negotiation (exemplars need it). The
 * scrape is never counted as traffic. Mount it with `app.get('/metrics', metricsHandler())`.
 */
export function metricsHandler(options: MetricsHandlerOptions = {}): RequestHandler {
  const handler = toExpressHandler(createMetricsHandler(options));
  return (req, res, next) => {
    excludeFromMetrics(req);
    return handler(req, res, next);
  };
}
