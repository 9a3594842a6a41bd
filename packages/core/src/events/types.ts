import type {
  AsyncOutcome, DeliveryOutcome, FaultPlane, JobOutcome, JourneyOutcome, ProbeOutcome, QueueState, RetryState,
} from '../catalog/values.js';

/**
 * Typed payloads of Parapet's event families. Public, semver-stable API (docs/telemetry.md).
 * Fields that are exact identifiers (trace ids, job ids, message ids, user ids) go in `refs`
 * or `traceId`: they reach evidence rows and exemplars, never metric labels.
 */

/** Exact identifiers attached to an event: never labels. */
export type Refs = Readonly<Record<string, string>>;

export interface HttpServerRequestEvent {
  /** Raw request method; normalized to an allowlist (else `_other`) when recorded. */
  method: string;
  /** Route template (`/orgs/:org/users/:id`), never a concrete path. Undefined when no route matched. */
  route: string | undefined;
  /** Status code sent (or about to be sent). */
  statusCode: number;
  /** Seconds from arrival to response finish (or abort). */
  durationSeconds: number;
  /** The client went away before the response finished. */
  aborted?: boolean;
  /** The handler threw: counted as a server error whatever status was set. */
  error?: unknown;
  /** Active trace id, exposed as an exemplar. */
  traceId?: string;
  /** Which adapter published it (`express`, `hono`, ...). */
  framework?: string;
}

export interface JobRunEvent {
  queue: string;
  /** Bounded job name (declared names or a template); adapters map everything else to one label. */
  job: string;
  outcome: JobOutcome;
  /** 1-based attempt number; bucketed when recorded. */
  attempt?: number;
  durationSeconds?: number;
  /** Seconds from enqueue (or scheduled time) until a worker started the job. */
  waitSeconds?: number;
  traceId?: string;
  reason?: string;
  refs?: Refs;
}

export interface QueueSampleEvent {
  queue: string;
  counts: Partial<Record<QueueState, number>>;
  /** Age of the oldest waiting job in seconds (0 when none waits). */
  oldestWaitingAgeSeconds?: number;
}

export interface JourneyStepEvent {
  /** Journey name: `login`, `signup`, `checkout`, ... */
  journey: string;
  /** Step within the journey; defaults to the journey name. */
  step?: string;
  outcome: JourneyOutcome;
  durationSeconds?: number;
  reason?: string;
  traceId?: string;
  refs?: Refs;
}

interface DeliveryBase {
  /** The library that published it (`mailer`, `nodemailer`, ...). */
  integration: string;
  /** The provider (`postmark`, `ses`, `twilio`, ...). */
  provider: string;
  /** `email`, `sms`, `push`, `webhook`, ... */
  channel: string;
  outcome: DeliveryOutcome;
  faultPlane?: FaultPlane;
  refs?: Refs;
}

export interface DeliveryOutboundEvent extends DeliveryBase {
  durationSeconds?: number;
  traceId?: string;
}

export interface DeliveryProviderFeedbackEvent extends DeliveryBase {
  /** Low-cardinality class of failure (`hard_bounce`, `soft_bounce`, `spam`, ...). */
  failureClass?: string;
}

export interface DeliveryWebhookIngestEvent extends DeliveryBase {
  /** Seconds between the provider-side event and the webhook reaching the app. */
  delaySeconds?: number;
}

interface AsyncBase {
  integration: string;
  provider: string;
  queue: string;
  refs?: Refs;
}

export interface AsyncStageEvent extends AsyncBase {
  stage: string;
  outcome: AsyncOutcome;
  retryState?: RetryState;
  faultPlane?: FaultPlane;
  durationSeconds?: number;
  traceId?: string;
}

export interface AsyncBacklogEvent extends AsyncBase {
  depth: number;
  oldestAgeSeconds?: number;
}

export interface AsyncCallbackEvent extends AsyncBase {
  stage: string;
  outcome: AsyncOutcome;
  delaySeconds?: number;
}

export interface ProbeRunEvent {
  probe: string;
  outcome: ProbeOutcome;
  durationSeconds: number;
  reason?: string;
}

export interface DeployMarkerEvent {
  service: string;
  environment: string;
  /** Version, git sha, release name: an identifier, so never a label. */
  version: string;
  /** When it happened; defaults to now. */
  at?: Date;
  actor?: string;
  refs?: Refs;
}

export interface FlagChangeEvent {
  flag: string;
  /** Where the change came from (`launchdarkly`, `unleash`, `admin-ui`, ...). */
  source: string;
  actor?: string;
  refs?: Refs;
}

/** Every family and its payload type. */
export interface EventPayloads {
  'http.server.request': HttpServerRequestEvent;
  'job.run': JobRunEvent;
  'job.queue_sample': QueueSampleEvent;
  'journey.step': JourneyStepEvent;
  'delivery.outbound': DeliveryOutboundEvent;
  'delivery.provider_feedback': DeliveryProviderFeedbackEvent;
  'delivery.webhook_ingest': DeliveryWebhookIngestEvent;
  'async.stage': AsyncStageEvent;
  'async.backlog': AsyncBacklogEvent;
  'async.callback': AsyncCallbackEvent;
  'probe.run': ProbeRunEvent;
  'deploy.marker': DeployMarkerEvent;
  'flag.change': FlagChangeEvent;
}

export type EventFamily = keyof EventPayloads;
