// @parapet/core — the signal contract. Everything here is public API (see docs/telemetry.md).

// Metric catalog, label policy and normalizers
export * from './catalog/catalog.js';
export * from './catalog/values.js';
export {
  defineMetric, MAX_LABELS, OTHER_VALUE, OVERFLOW_VALUE, DEFAULT_MAX_SERIES, MetricDefinitionError, LabelPolicyError,
  type MetricDefinition, type MetricType,
} from './catalog/define.js';
export { normalizeMethod, statusClass, statusCodeLabel, routeLabel, attemptBucket, validSeconds } from './catalog/normalize.js';

// Events
export { EVENT_FAMILIES, channelName, channelOf, publish, subscribe, type Subscriber } from './events/channels.js';
export * from './events/publish.js';
export type * from './events/types.js';

// Metrics runtime and sinks
export { BoundedMetric, type BoundedCounter, type BoundedGauge, type BoundedHistogram } from './metrics/bounded.js';
export { MAX_LABEL_VALUE_LENGTH, TOO_LONG_VALUE, EMPTY_VALUE } from './metrics/label-values.js';
export { MetricsRuntime, type MetricsRuntimeOptions } from './metrics/runtime.js';
export type { MetricSink, SinkMetric, CounterChild, HistogramChild, GaugeChild, Labels } from './metrics/sink.js';
export { PromClientSink, promClientSink, type PromClientSinkOptions } from './sinks/prom-client.js';
export { ABORTED_STATUS_CODE } from './recorders/http.js';

// attach() and integrations
export {
  attach, AttachError, type AttachOptions, type Integration, type IntegrationContext, type ParapetHandle, type Teardown,
} from './attach.js';
export type { Logger } from './internal/logger.js';

// Framework-neutral HTTP handlers
export { createMetricsHandler, type MetricsHandlerOptions, type FetchHandler } from './http/metrics-handler.js';
export { negotiateFormat, PROMETHEUS_TEXT, OPENMETRICS_TEXT, type ExpositionFormat } from './http/negotiate.js';
export { renderRegistry } from './http/exposition.js';
export { bearerToken, resolveTokens, tokenMatches, type TokenSource } from './http/bearer-auth.js';
export { loadOtelTraceId, otelTraceId, traceIdReader, type TraceIdReader } from './http/trace-id.js';
export { resolveHttpAdapterOptions, type HttpAdapterCaller, type ResolvedHttpAdapterOptions } from './http/adapter-options.js';

// SLO model, providers and generators
export * from './slo/index.js';

// Synthetic probes
export * from './probes/index.js';
