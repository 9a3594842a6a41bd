/** Closed value sets shared by events, metrics and SLO slices. Public API: additions are minor, removals major. */

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY'] as const;
export const HTTP_STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx', 'aborted'] as const;

export const JOB_OUTCOMES = ['completed', 'failed', 'retrying', 'stalled', 'discarded'] as const;
export const ATTEMPT_BUCKETS = ['1', '2', '3', '4-5', '6-10', '11+'] as const;
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'paused', 'prioritized', 'waiting_children'] as const;

export const JOURNEY_OUTCOMES = ['success', 'failure'] as const;

export const DELIVERY_OUTCOMES = ['attempted', 'provider_accepted', 'delivered', 'failed', 'bounced', 'complained', 'suppressed', 'deferred'] as const;
/**
 * `none` is a real value here (no fault: the delivery or stage did not fail), not a sentinel:
 * it is what a success is labelled with and what SLO matchers select. The sentinel for "no
 * value given" is `_none` (see sentinels.ts); an event without `faultPlane` is recorded as `none`.
 */
export const FAULT_PLANES = ['none', 'provider', 'webhook', 'suppression', 'worker', 'backlog', 'app'] as const;
export const ASYNC_OUTCOMES = ['started', 'succeeded', 'retryable_failed', 'discarded', 'delayed'] as const;
export const RETRY_STATES = ['first_attempt', 'retrying', 'exhausted'] as const;

export const PROBE_OUTCOMES = ['success', 'failure', 'timeout'] as const;

export type HttpMethod = (typeof HTTP_METHODS)[number];
export type HttpStatusClass = (typeof HTTP_STATUS_CLASSES)[number];
export type JobOutcome = (typeof JOB_OUTCOMES)[number];
export type AttemptBucket = (typeof ATTEMPT_BUCKETS)[number];
export type QueueState = (typeof QUEUE_STATES)[number];
export type JourneyOutcome = (typeof JOURNEY_OUTCOMES)[number];
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];
export type FaultPlane = (typeof FAULT_PLANES)[number];
export type AsyncOutcome = (typeof ASYNC_OUTCOMES)[number];
export type RetryState = (typeof RETRY_STATES)[number];
export type ProbeOutcome = (typeof PROBE_OUTCOMES)[number];

/** OpenTelemetry semantic-convention buckets for request durations (seconds). */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] as const;
/** Background work runs longer than requests. */
export const JOB_DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600] as const;
/** Delays and waits: from sub-second to over an hour. */
export const DELAY_BUCKETS = [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 900, 1800, 3600, 7200] as const;
