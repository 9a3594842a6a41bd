// @parapet/core/integration — for authors of integrations and framework adapters: the extension
// contract, event channels, the metric catalog and label policy, HTTP building blocks,
// validation, errors and lifecycle helpers. Applications import from `@parapet/core`; SLO
// tooling from `@parapet/core/slo`. Publish events with the helpers from `@parapet/core`.

// Extension contract
export { AttachError } from './attach.js';
export type { Integration, IntegrationContext, IntegrationTeardown, Teardown } from './attach.js';
export type { MetricsRuntime, MetricsRuntimeOptions } from './metrics/runtime.js';
export type { BoundedMetric, BoundedCounter, BoundedGauge, BoundedHistogram } from './metrics/bounded.js';
export type { MetricSink, SinkMetric, CounterChild, HistogramChild, GaugeChild, Labels } from './metrics/sink.js';
export { PromClientSink, promClientSink } from './sinks/prom-client.js';
export type { PromClientSinkOptions } from './sinks/prom-client.js';
export type { Logger } from './internal/logger.js';

// Event channels (subscribe is guarded: a throwing subscriber never crashes the host)
export { EVENT_FAMILIES, channelName, channelOf, publish, subscribe } from './events/channels.js';
export type { Subscriber, SubscribeOptions } from './events/channels.js';
export type * from './events/types.js';

// Metric catalog, label policy, closed value sets, sentinels and normalizers
export {
  catalog, httpServerRequests, httpServerRequestDuration, jobRuns, jobRunDuration, jobWaitDuration, queueJobs,
  queueOldestWaitingAge, journeySteps, journeyStepDuration, deliveryOutbound, deliveryOutboundDuration,
  deliveryProviderFeedback, deliveryWebhookIngest, deliveryWebhookDelay, deliveryWebhookLastReceived, asyncStage,
  asyncStageDuration, asyncBacklogDepth, asyncBacklogOldestAge, asyncCallbacks, asyncCallbackDelay,
  asyncCallbackLastSuccess, probeRuns, probeRunDuration, deploys, deployLastTimestamp, flagChanges, internalErrors,
  seriesOverflow,
} from './catalog/catalog.js';
export { defineMetric, MAX_LABELS, DEFAULT_MAX_SERIES, MetricDefinitionError, LabelPolicyError } from './catalog/define.js';
export type { MetricDefinition, MetricType } from './catalog/define.js';
export {
  HTTP_METHODS, HTTP_STATUS_CLASSES, JOB_OUTCOMES, ATTEMPT_BUCKETS, QUEUE_STATES, JOURNEY_OUTCOMES, DELIVERY_OUTCOMES,
  FAULT_PLANES, ASYNC_OUTCOMES, RETRY_STATES, PROBE_OUTCOMES, HTTP_DURATION_BUCKETS, JOB_DURATION_BUCKETS, DELAY_BUCKETS,
} from './catalog/values.js';
export type {
  HttpMethod, HttpStatusClass, JobOutcome, AttemptBucket, QueueState, JourneyOutcome, DeliveryOutcome, FaultPlane,
  AsyncOutcome, RetryState, ProbeOutcome,
} from './catalog/values.js';
export {
  OTHER_VALUE, OVERFLOW_VALUE, UNMATCHED_ROUTE, EMPTY_VALUE, TOO_LONG_VALUE, UNKNOWN_VALUE, UNNAMED_VALUE,
  SENTINEL_VALUES, isSentinelValue,
} from './catalog/sentinels.js';
export type { SentinelValue } from './catalog/sentinels.js';
export { MAX_LABEL_VALUE_LENGTH } from './metrics/label-values.js';
export { normalizeMethod, statusClass, statusCodeLabel, routeLabel, attemptBucket, validSeconds } from './catalog/normalize.js';
export { ABORTED_STATUS_CODE } from './recorders/http.js';
export { COMPONENT_ID_PATTERN } from './internal/components.js';

// HTTP building blocks for framework adapters
export { OPEN_ENVIRONMENTS } from './http/metrics-handler.js';
export type { FetchHandler, MetricsHandlerOptions } from './http/metrics-handler.js';
export { negotiateFormat, PROMETHEUS_TEXT, OPENMETRICS_TEXT } from './http/negotiate.js';
export type { ExpositionFormat } from './http/negotiate.js';
export { renderRegistry } from './http/exposition.js';
export { bearerToken, resolveTokens, tokenMatches } from './http/bearer-auth.js';
export type { TokenSource } from './http/bearer-auth.js';
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

// Standard Webhooks (https://www.standardwebhooks.com): one signer/verifier for provider webhooks and Parapet's own
export { signStandardWebhook, verifyStandardWebhook, type StandardWebhookHeaders } from './http/standard-webhooks.js';

// Probes, for schedulers built on other runtimes (e.g. @parapet/bullmq)
export {
  isProbe, validProbeName, isTimerMs, ProbeDefinitionError, PROBE_NAME_PATTERN, MAX_PROBE_NAME_LENGTH,
  DEFAULT_PROBE_TIMEOUT_MS, MAX_TIMER_MS,
} from './probes/define.js';
export { MAX_REASON_LENGTH } from './probes/run.js';

// Validation, errors, peers and lifecycle
export { parseOptions, describeValue } from './internal/options.js';
export { requirePeer } from './internal/peer.js';
export { ParapetError, ERROR_CODES, errorResponse, isParapetError } from './errors/parapet-error.js';
export type { ErrorCode, ErrorBody, ParapetErrorOptions } from './errors/parapet-error.js';
export { closeable } from './lifecycle.js';
export type { Closeable } from './lifecycle.js';
