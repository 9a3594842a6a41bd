// @parapet/hono — Hono 4 wrappers over @parapet/core's event contract and handlers.
export { parapet } from './middleware.js';
export type { ParapetHonoOptions } from './options.js';
export { metricsHandler, excludeFromMetrics } from './metrics.js';
