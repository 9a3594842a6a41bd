// @parapet/express — Express 4 and 5 wrappers over @parapet/core's event contract and handlers.
export { instrument, parapet } from './middleware.js';
export type { ParapetExpressOptions } from './options.js';
export { metricsHandler, excludeFromMetrics } from './metrics.js';
export { toExpressHandler } from './to-express-handler.js';
