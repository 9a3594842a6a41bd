import { describe, expect, it } from 'vitest';
import * as root from './index.js';
import * as integration from './integration.js';
import * as slo from './slo/index.js';

/**
 * The public surface, by audience (see packages/core/README.md, "entries"). A change to these
 * lists is a public API change: review it, and write a changeset.
 */
const ROOT = [
  // attach, publish, serve, declare, probe, errors: what an application calls
  'attach',
  'publishHttpServerRequest', 'publishJobRun', 'publishJobQueueSample', 'publishJourneyStep', 'publishDeliveryOutbound',
  'publishDeliveryProviderFeedback', 'publishDeliveryWebhookIngest', 'publishAsyncStage', 'publishAsyncBacklog',
  'publishAsyncCallback', 'publishProbeRun', 'publishFlagChange', 'publishDeployMarker',
  'markDeploy', 'publishQueueSample', // deprecated aliases, removed in the next minor
  'createMetricsHandler',
  'defineConfig', 'defineSlice', 'defineProvider',
  'defineProbe', 'runProbe', 'startProbeScheduler',
  'ParapetError',
];

const INTEGRATION = [
  // extension contract and runtime
  'AttachError', 'PromClientSink', 'promClientSink',
  // channels
  'EVENT_FAMILIES', 'channelName', 'channelOf', 'publish', 'subscribe',
  // catalog, label policy, closed sets, sentinels, normalizers
  'catalog', 'httpServerRequests', 'httpServerRequestDuration', 'jobRuns', 'jobRunDuration', 'jobWaitDuration', 'queueJobs',
  'queueOldestWaitingAge', 'journeySteps', 'journeyStepDuration', 'deliveryOutbound', 'deliveryOutboundDuration',
  'deliveryProviderFeedback', 'deliveryWebhookIngest', 'deliveryWebhookDelay', 'deliveryWebhookLastReceived', 'asyncStage',
  'asyncStageDuration', 'asyncBacklogDepth', 'asyncBacklogOldestAge', 'asyncCallbacks', 'asyncCallbackDelay',
  'asyncCallbackLastSuccess', 'probeRuns', 'probeRunDuration', 'deploys', 'deployLastTimestamp', 'flagChanges', 'internalErrors',
  'seriesOverflow',
  'defineMetric', 'MAX_LABELS', 'DEFAULT_MAX_SERIES', 'MetricDefinitionError', 'LabelPolicyError',
  'HTTP_METHODS', 'HTTP_STATUS_CLASSES', 'JOB_OUTCOMES', 'ATTEMPT_BUCKETS', 'QUEUE_STATES', 'JOURNEY_OUTCOMES', 'DELIVERY_OUTCOMES',
  'FAULT_PLANES', 'ASYNC_OUTCOMES', 'RETRY_STATES', 'PROBE_OUTCOMES', 'HTTP_DURATION_BUCKETS', 'JOB_DURATION_BUCKETS', 'DELAY_BUCKETS',
  'OTHER_VALUE', 'OVERFLOW_VALUE', 'UNMATCHED_ROUTE', 'EMPTY_VALUE', 'TOO_LONG_VALUE', 'UNKNOWN_VALUE', 'UNNAMED_VALUE',
  'SENTINEL_VALUES', 'isSentinelValue', 'MAX_LABEL_VALUE_LENGTH',
  'normalizeMethod', 'statusClass', 'statusCodeLabel', 'routeLabel', 'attemptBucket', 'validSeconds', 'ABORTED_STATUS_CODE',
  'COMPONENT_ID_PATTERN',
  // HTTP building blocks
  'OPEN_ENVIRONMENTS', 'negotiateFormat', 'PROMETHEUS_TEXT', 'OPENMETRICS_TEXT', 'renderRegistry', 'bearerToken', 'resolveTokens',
  'tokenMatches', 'traceIdReader', 'loadOtelTraceId', 'otelTraceId', 'resolveHttpAdapterOptions',
  'callSkip', 'isMetricsMethod', 'metricsMethodNotAllowed', 'HTTP_BUCKETS_MAX',
  // the Node <-> fetch bridge
  'toNodeHandler', 'incomingMessageToRequest', 'writeResponse', 'nodeResponseOutcome', 'isResponseOutcome', 'DEFAULT_MAX_BODY_BYTES',
  'signStandardWebhook', 'verifyStandardWebhook',
  // probes for other schedulers
  'isProbe', 'validProbeName', 'isTimerMs', 'ProbeDefinitionError', 'PROBE_NAME_PATTERN', 'MAX_PROBE_NAME_LENGTH',
  'DEFAULT_PROBE_TIMEOUT_MS', 'MAX_TIMER_MS', 'MAX_REASON_LENGTH',
  // validation, errors, peers, lifecycle
  'parseOptions', 'describeValue', 'requirePeer', 'ParapetError', 'ERROR_CODES', 'errorResponse', 'isParapetError', 'closeable',
];

const names = (entry: object) => Object.keys(entry).sort();

describe('public entries', () => {
  it('@parapet/core exports exactly what an application calls', () => {
    expect(names(root)).toEqual([...ROOT].sort());
  });

  it('@parapet/core/integration exports exactly the documented building blocks', () => {
    expect(names(integration)).toEqual([...new Set(INTEGRATION)].sort());
  });

  it('@parapet/core/slo holds the SLO tooling; the root re-exports only the define* functions', () => {
    const shared = names(slo).filter((name) => name in root);
    expect(shared.sort()).toEqual(['defineConfig', 'defineProvider', 'defineSlice']);
    expect(names(slo)).toMatchSnapshot();
  });

  it('re-exported names are the same bindings in every entry', () => {
    for (const name of names(root)) {
      if (name in integration) expect((integration as Record<string, unknown>)[name]).toBe((root as Record<string, unknown>)[name]);
      if (name in slo) expect((slo as Record<string, unknown>)[name]).toBe((root as Record<string, unknown>)[name]);
    }
  });
});
