import { defineMetric } from './define.js';
import {
  ASYNC_OUTCOMES, ATTEMPT_BUCKETS, DELAY_BUCKETS, DELIVERY_OUTCOMES, FAULT_PLANES, HTTP_DURATION_BUCKETS,
  HTTP_METHODS, HTTP_STATUS_CLASSES, JOB_DURATION_BUCKETS, JOB_OUTCOMES, JOURNEY_OUTCOMES, PROBE_OUTCOMES,
  QUEUE_STATES, RETRY_STATES,
} from './values.js';

/**
 * The metric catalog: every series Parapet emits. Names, labels and buckets are public API
 * (docs/telemetry.md); SLO starter packs and dashboards query exactly these.
 */

// ── HTTP server ────────────────────────────────────────────────────────────────────────────
const httpLabels = ['route', 'method', 'status_class', 'status_code'] as const;
const httpValues = { method: HTTP_METHODS, status_class: HTTP_STATUS_CLASSES };

export const httpServerRequests = defineMetric({
  name: 'parapet_http_server_requests_total',
  type: 'counter',
  help: 'HTTP requests served, by route template, method, status class and code. Aborted requests have status_class="aborted".',
  labels: httpLabels,
  labelValues: httpValues,
  // A route's first server error must be visible to increase(): 500 exists from the first request.
  zeroInit: [{ status_class: '5xx', status_code: '500' }],
});
export const httpServerRequestDuration = defineMetric({
  name: 'parapet_http_server_request_duration_seconds',
  type: 'histogram',
  help: 'HTTP request duration from arrival until the response finished or the client aborted.',
  labels: httpLabels,
  labelValues: httpValues,
  buckets: HTTP_DURATION_BUCKETS,
});

// ── Background jobs ────────────────────────────────────────────────────────────────────────
export const jobRuns = defineMetric({
  name: 'parapet_job_runs_total',
  type: 'counter',
  help: 'Background job runs by queue, bounded job name, outcome and bucketed attempt number.',
  labels: ['queue', 'job', 'outcome', 'attempt'],
  labelValues: { outcome: JOB_OUTCOMES, attempt: ATTEMPT_BUCKETS },
  zeroInit: [{ outcome: 'completed', attempt: '1' }, { outcome: 'failed', attempt: '1' }, { outcome: 'discarded', attempt: '1' }],
});
export const jobRunDuration = defineMetric({
  name: 'parapet_job_run_duration_seconds',
  type: 'histogram',
  help: 'Time a job spent running, from start to its outcome.',
  labels: ['queue', 'job', 'outcome'],
  labelValues: { outcome: JOB_OUTCOMES },
  buckets: JOB_DURATION_BUCKETS,
});
export const jobWaitDuration = defineMetric({
  name: 'parapet_job_wait_duration_seconds',
  type: 'histogram',
  help: 'Time a job waited from being enqueued (or its scheduled time) until a worker started it.',
  labels: ['queue', 'job'],
  buckets: DELAY_BUCKETS,
});
export const queueJobs = defineMetric({
  name: 'parapet_queue_jobs',
  type: 'gauge',
  help: 'Jobs in a queue by state, sampled on an interval.',
  labels: ['queue', 'state'],
  labelValues: { state: QUEUE_STATES },
});
export const queueOldestWaitingAge = defineMetric({
  name: 'parapet_queue_oldest_waiting_age_seconds',
  type: 'gauge',
  help: 'Age of the oldest job waiting to start (0 when none waits). A freshness signal.',
  labels: ['queue'],
});

// ── Journeys ───────────────────────────────────────────────────────────────────────────────
export const journeySteps = defineMetric({
  name: 'parapet_journey_steps_total',
  type: 'counter',
  help: 'User journey steps (login, signup, checkout, ...) by outcome.',
  labels: ['journey', 'step', 'outcome'],
  labelValues: { outcome: JOURNEY_OUTCOMES },
  zeroInit: [{ outcome: 'success' }, { outcome: 'failure' }],
});
export const journeyStepDuration = defineMetric({
  name: 'parapet_journey_step_duration_seconds',
  type: 'histogram',
  help: 'Duration of a user journey step.',
  labels: ['journey', 'step', 'outcome'],
  labelValues: { outcome: JOURNEY_OUTCOMES },
  buckets: HTTP_DURATION_BUCKETS,
});

// ── Deliveries (email, SMS, push, webhooks out) ────────────────────────────────────────────
const deliveryValues = { outcome: DELIVERY_OUTCOMES, fault_plane: FAULT_PLANES };
export const deliveryOutbound = defineMetric({
  name: 'parapet_delivery_outbound_total',
  type: 'counter',
  help: 'Outbound delivery attempts handed to a provider, by outcome.',
  labels: ['integration', 'provider', 'channel', 'outcome', 'fault_plane'],
  labelValues: deliveryValues,
  zeroInit: [{ outcome: 'provider_accepted', fault_plane: 'none' }, { outcome: 'failed', fault_plane: 'none' }],
});
export const deliveryOutboundDuration = defineMetric({
  name: 'parapet_delivery_outbound_duration_seconds',
  type: 'histogram',
  help: 'Time the provider call for an outbound delivery took.',
  labels: ['integration', 'provider', 'channel', 'outcome'],
  labelValues: { outcome: DELIVERY_OUTCOMES },
  buckets: HTTP_DURATION_BUCKETS,
});
export const deliveryProviderFeedback = defineMetric({
  name: 'parapet_delivery_provider_feedback_total',
  type: 'counter',
  help: 'Provider feedback about earlier deliveries (delivered, bounced, complained, ...).',
  labels: ['integration', 'provider', 'channel', 'outcome', 'failure_class', 'fault_plane'],
  labelValues: deliveryValues,
  zeroInit: [
    { outcome: 'delivered', failure_class: 'none', fault_plane: 'none' },
    { outcome: 'bounced', failure_class: 'none', fault_plane: 'none' },
    { outcome: 'failed', failure_class: 'none', fault_plane: 'none' },
  ],
});
export const deliveryWebhookIngest = defineMetric({
  name: 'parapet_delivery_webhook_ingest_total',
  type: 'counter',
  help: 'Provider webhooks received about deliveries, by outcome of ingesting them.',
  labels: ['integration', 'provider', 'channel', 'outcome', 'fault_plane'],
  labelValues: deliveryValues,
});
export const deliveryWebhookDelay = defineMetric({
  name: 'parapet_delivery_webhook_delay_seconds',
  type: 'histogram',
  help: 'Delay between the delivery event at the provider and the webhook reaching the app.',
  labels: ['integration', 'provider', 'channel'],
  buckets: DELAY_BUCKETS,
});
export const deliveryWebhookLastReceived = defineMetric({
  name: 'parapet_delivery_webhook_last_received_timestamp_seconds',
  type: 'gauge',
  help: 'Unix time the last provider webhook was ingested. time() minus this is callback freshness.',
  labels: ['integration', 'provider', 'channel'],
});

// ── Async pipelines (stage, backlog, callback) ─────────────────────────────────────────────
export const asyncStage = defineMetric({
  name: 'parapet_async_stage_total',
  type: 'counter',
  help: 'Async pipeline stage executions by outcome and retry state.',
  labels: ['integration', 'provider', 'queue', 'pipeline_stage', 'outcome', 'retry_state', 'fault_plane'],
  labelValues: { outcome: ASYNC_OUTCOMES, retry_state: RETRY_STATES, fault_plane: FAULT_PLANES },
});
export const asyncStageDuration = defineMetric({
  name: 'parapet_async_stage_duration_seconds',
  type: 'histogram',
  help: 'Duration of an async pipeline stage execution.',
  labels: ['integration', 'provider', 'queue', 'pipeline_stage', 'outcome'],
  labelValues: { outcome: ASYNC_OUTCOMES },
  buckets: JOB_DURATION_BUCKETS,
});
export const asyncBacklogDepth = defineMetric({
  name: 'parapet_async_backlog_depth',
  type: 'gauge',
  help: 'Items waiting in an async pipeline backlog.',
  labels: ['integration', 'provider', 'queue'],
});
export const asyncBacklogOldestAge = defineMetric({
  name: 'parapet_async_backlog_oldest_age_seconds',
  type: 'gauge',
  help: 'Age of the oldest item waiting in an async pipeline backlog.',
  labels: ['integration', 'provider', 'queue'],
});
export const asyncCallbacks = defineMetric({
  name: 'parapet_async_callbacks_total',
  type: 'counter',
  help: 'Callbacks that close an async pipeline (e.g. a provider calling back), by outcome.',
  labels: ['integration', 'provider', 'queue', 'pipeline_stage', 'outcome'],
  labelValues: { outcome: ASYNC_OUTCOMES },
});
export const asyncCallbackDelay = defineMetric({
  name: 'parapet_async_callback_delay_seconds',
  type: 'histogram',
  help: 'Delay from the start of an async operation until its callback arrived.',
  labels: ['integration', 'provider', 'queue', 'pipeline_stage'],
  buckets: DELAY_BUCKETS,
});
export const asyncCallbackLastSuccess = defineMetric({
  name: 'parapet_async_callback_last_success_timestamp_seconds',
  type: 'gauge',
  help: 'Unix time of the last successful callback. time() minus this is callback freshness.',
  labels: ['integration', 'provider', 'queue', 'pipeline_stage'],
});

// ── Probes ─────────────────────────────────────────────────────────────────────────────────
export const probeRuns = defineMetric({
  name: 'parapet_probe_runs_total',
  type: 'counter',
  help: 'Synthetic probe runs by outcome. Gives quiet services a steady denominator.',
  labels: ['probe', 'outcome'],
  labelValues: { outcome: PROBE_OUTCOMES },
  zeroInit: [{ outcome: 'success' }, { outcome: 'failure' }, { outcome: 'timeout' }],
});
export const probeRunDuration = defineMetric({
  name: 'parapet_probe_run_duration_seconds',
  type: 'histogram',
  help: 'Duration of a synthetic probe run.',
  labels: ['probe', 'outcome'],
  labelValues: { outcome: PROBE_OUTCOMES },
  buckets: HTTP_DURATION_BUCKETS,
});

// ── Deploys and flags ──────────────────────────────────────────────────────────────────────
export const deploys = defineMetric({
  name: 'parapet_deploys_total',
  type: 'counter',
  help: 'Deploy markers recorded by the app (Grafana annotations use this).',
  labels: ['service', 'environment'],
});
export const deployLastTimestamp = defineMetric({
  name: 'parapet_deploy_last_timestamp_seconds',
  type: 'gauge',
  help: 'Unix time of the last deploy marker.',
  labels: ['service', 'environment'],
});
export const flagChanges = defineMetric({
  name: 'parapet_flag_changes_total',
  type: 'counter',
  help: 'Feature flag changes by flag and source.',
  labels: ['flag', 'source'],
});

// ── Parapet's own health ───────────────────────────────────────────────────────────────────
export const internalErrors = defineMetric({
  name: 'parapet_internal_errors_total',
  type: 'counter',
  help: 'Errors caught inside Parapet (subscribers, handlers, samplers). They never reach the host.',
  labels: ['component'],
  maxSeries: 100,
});
export const seriesOverflow = defineMetric({
  name: 'parapet_series_overflow_total',
  type: 'counter',
  help: 'Recordings routed to the overflow series because a metric reached its series cap.',
  labels: ['metric'],
  maxSeries: 200,
});

/** Every metric in the catalog, in documentation order. */
export const catalog = [
  httpServerRequests, httpServerRequestDuration,
  jobRuns, jobRunDuration, jobWaitDuration, queueJobs, queueOldestWaitingAge,
  journeySteps, journeyStepDuration,
  deliveryOutbound, deliveryOutboundDuration, deliveryProviderFeedback, deliveryWebhookIngest, deliveryWebhookDelay, deliveryWebhookLastReceived,
  asyncStage, asyncStageDuration, asyncBacklogDepth, asyncBacklogOldestAge, asyncCallbacks, asyncCallbackDelay, asyncCallbackLastSuccess,
  probeRuns, probeRunDuration,
  deploys, deployLastTimestamp, flagChanges,
  internalErrors, seriesOverflow,
] as const;
