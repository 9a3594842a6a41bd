// @parapet/core/integration — for authors of integrations and framework adapters: the extension
// contract, event channels, HTTP building blocks, validation, errors and lifecycle helpers.
// Applications import from `@parapet/core`; SLO tooling from `@parapet/core/slo`.

// Extension contract
export { type Integration, type IntegrationContext } from './attach.js';

// Event channels
export { EVENT_FAMILIES, channelName, channelOf, subscribe, type Subscriber } from './events/channels.js';

// HTTP building blocks for framework adapters
export { traceIdReader, loadOtelTraceId, otelTraceId, type TraceIdReader } from './http/trace-id.js';
export {
  resolveHttpAdapterOptions, callSkip, isMetricsMethod, metricsMethodNotAllowed,
  type HttpAdapterOptions, type HttpAdapterMetricsOptions, type HttpAdapterDefaultMetricsOptions, type ResolvedHttpAdapterOptions, type HttpAdapterCaller,
} from './http/adapter-options.js';
export { HTTP_BUCKETS_MAX } from './http/duration-buckets.js';

// The Node <-> fetch bridge: serve fetch handlers from Node, Express, or any IncomingMessage
export {
  toNodeHandler, incomingMessageToRequest, writeResponse, nodeResponseOutcome, isResponseOutcome, DEFAULT_MAX_BODY_BYTES,
  type NodeResponseLike, type ResponseOutcome,
  type FetchRequestHandler, type NodeHandlerOptions, type IncomingMessageToRequestOptions, type NodeRequestLike,
} from './http/node-bridge.js';

// Validation, errors and lifecycle
export { parseOptions, describeValue } from './internal/options.js';
export { ParapetError, ERROR_CODES, errorResponse, isParapetError, type ErrorCode, type ErrorBody, type ParapetErrorOptions } from './errors/parapet-error.js';
export { closeable, type Closeable } from './lifecycle.js';
