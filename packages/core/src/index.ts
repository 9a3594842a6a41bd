// @parapet/core — what an application calls: attach Parapet, publish events, serve /metrics,
// declare SLOs and probes. Authors of integrations and framework adapters import from
// `@parapet/core/integration`; SLO tooling from `@parapet/core/slo`; the OpenTelemetry sink from
// `@parapet/core/otel`. Every name here is public API (see docs/telemetry.md, docs/vocabulary.md).

// Attach Parapet to the process
export { attach } from './attach.js';
export type { AttachOptions, ParapetHandle } from './attach.js';
export type { Closeable } from './lifecycle.js';
export type { Logger } from './internal/logger.js';
export type { MetricSink } from './metrics/sink.js';

// Publish events (one helper per event family)
export {
  publishHttpServerRequest, publishJobRun, publishJobQueueSample, publishJourneyStep, publishDeliveryOutbound,
  publishDeliveryProviderFeedback, publishDeliveryWebhookIngest, publishAsyncStage, publishAsyncBacklog,
  publishAsyncCallback, publishProbeRun, publishFlagChange, publishDeployMarker,
  markDeploy, publishQueueSample,
} from './events/publish.js';
export type * from './events/types.js';
export type {
  HttpMethod, HttpStatusClass, JobOutcome, AttemptBucket, QueueState, JourneyOutcome, DeliveryOutcome, FaultPlane,
  AsyncOutcome, RetryState, ProbeOutcome,
} from './catalog/values.js';

// Serve /metrics
export { createMetricsHandler } from './http/metrics-handler.js';
export type { MetricsHandlerOptions, FetchHandler } from './http/metrics-handler.js';
export type { TokenSource } from './http/bearer-auth.js';

// Declare SLOs (generators and the rest of the SLO tooling: `@parapet/core/slo`)
export { defineConfig, defineSlice, defineProvider } from './slo/model/define.js';
export type { ParapetConfig, SliceSpec, Provider } from './slo/model/spec.js';

// Synthetic probes
export { defineProbe } from './probes/define.js';
export type { Probe, ProbeOptions, ProbeResult } from './probes/define.js';
export { runProbe } from './probes/run.js';
export type { ProbeRunResult } from './probes/run.js';
export { startProbeScheduler } from './probes/scheduler.js';
export type { ProbeScheduler, ProbeSchedulerOptions } from './probes/scheduler.js';

// Errors
export { ParapetError } from './errors/parapet-error.js';
export type { ErrorCode, ErrorBody } from './errors/parapet-error.js';
