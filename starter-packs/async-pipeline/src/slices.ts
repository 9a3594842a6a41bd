import type { SliceSpec } from '@parapet/core/slo';

const stages = 'parapet_async_stage_total';
const callbacks = 'parapet_async_callbacks_total';

/**
 * The async-pipeline slices with their defaults, given a runbook base URL. Every ratio stays on
 * one metric of one event family: stages over stages, callbacks over callbacks.
 */
export function asyncPipelineSlices(runbookBaseUrl: string): SliceSpec[] {
  return [
    {
      name: 'async_pipeline_stage_success',
      description: 'Pipeline stage success',
      objective: 99.5,
      alert: 'page',
      runbookUrl: `${runbookBaseUrl}/async-stage-success`,
      groupBy: ['queue', 'pipeline_stage'],
      // Items, not attempts: an item ends `succeeded` or `discarded` (retries exhausted). A
      // retryable failure that later succeeds cost latency, not the item.
      sli: {
        kind: 'event-ratio',
        total: { metric: stages, matchers: { outcome: ['succeeded', 'discarded'] } },
        bad: { metric: stages, matchers: { outcome: 'discarded' } },
      },
    },
    {
      name: 'async_pipeline_stage_latency',
      description: 'Pipeline stage done within 60s',
      objective: 99,
      alert: 'ticket',
      runbookUrl: `${runbookBaseUrl}/async-stage-latency`,
      groupBy: ['queue', 'pipeline_stage'],
      sli: { kind: 'latency', metric: 'parapet_async_stage_duration_seconds', matchers: { outcome: 'succeeded' }, threshold: 60 },
    },
    {
      name: 'async_pipeline_backlog_age',
      description: 'Pipeline backlog younger than 15 minutes',
      objective: 99,
      alert: 'ticket',
      runbookUrl: `${runbookBaseUrl}/async-backlog-age`,
      groupBy: ['queue'],
      // Work waiting too long is late for users even when every stage eventually succeeds.
      sli: { kind: 'freshness', metric: 'parapet_async_backlog_oldest_age_seconds', gauge: 'age', maxAgeSeconds: 900 },
    },
    {
      name: 'async_pipeline_callback_success',
      description: 'Callbacks handled',
      objective: 99.5,
      alert: 'ticket',
      runbookUrl: `${runbookBaseUrl}/async-callback-success`,
      groupBy: ['provider'],
      // A callback the app failed to handle (the sender will retry, or gave up).
      sli: {
        kind: 'event-ratio',
        total: { metric: callbacks, matchers: { outcome: ['succeeded', 'retryable_failed', 'discarded'] } },
        bad: { metric: callbacks, matchers: { outcome: ['retryable_failed', 'discarded'] } },
      },
    },
    {
      name: 'async_pipeline_callback_freshness',
      description: 'Callback freshness',
      objective: 99,
      alert: 'ticket',
      runbookUrl: `${runbookBaseUrl}/async-callback-freshness`,
      groupBy: ['provider', 'pipeline_stage'],
      // A provider that stops calling back leaves the pipeline's state unknown. Stages whose
      // callbacks are rare by nature (monthly invoices) need their own maxAgeSeconds: override
      // `sli` with a `pipeline_stage` matcher.
      sli: { kind: 'freshness', metric: 'parapet_async_callback_last_success_timestamp_seconds', gauge: 'timestamp', maxAgeSeconds: 3600 },
    },
  ];
}
