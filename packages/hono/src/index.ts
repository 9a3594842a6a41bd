// @parapet/hono — Hono 4 wrappers over @parapet/core's event contract and handlers.
export { instrument } from './instrument.js';
export { parapet } from './middleware.js';
export type { ParapetHonoOptions, ParapetInstrumentOptions } from './options.js';
export { metricsHandler, excludeFromMetrics } from './metrics.js';
