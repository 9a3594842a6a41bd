import { publish } from './channels.js';
import type {
  AsyncBacklogEvent, AsyncCallbackEvent, AsyncStageEvent, DeliveryOutboundEvent, DeliveryProviderFeedbackEvent,
  DeliveryWebhookIngestEvent, DeployMarkerEvent, FlagChangeEvent, HttpServerRequestEvent, JobRunEvent,
  JourneyStepEvent, ProbeRunEvent, QueueSampleEvent,
} from './types.js';

/** Typed publishing helpers, one per family, for adapters and integrations. */
export const publishHttpServerRequest = (e: HttpServerRequestEvent) => publish('http.server.request', e);
export const publishJobRun = (e: JobRunEvent) => publish('job.run', e);
export const publishQueueSample = (e: QueueSampleEvent) => publish('job.queue_sample', e);
export const publishJourneyStep = (e: JourneyStepEvent) => publish('journey.step', e);
export const publishDeliveryOutbound = (e: DeliveryOutboundEvent) => publish('delivery.outbound', e);
export const publishDeliveryProviderFeedback = (e: DeliveryProviderFeedbackEvent) => publish('delivery.provider_feedback', e);
export const publishDeliveryWebhookIngest = (e: DeliveryWebhookIngestEvent) => publish('delivery.webhook_ingest', e);
export const publishAsyncStage = (e: AsyncStageEvent) => publish('async.stage', e);
export const publishAsyncBacklog = (e: AsyncBacklogEvent) => publish('async.backlog', e);
export const publishAsyncCallback = (e: AsyncCallbackEvent) => publish('async.callback', e);
export const publishProbeRun = (e: ProbeRunEvent) => publish('probe.run', e);
export const publishFlagChange = (e: FlagChangeEvent) => publish('flag.change', e);

/** Record a deploy marker (Grafana annotations, incident timelines). */
export const markDeploy = (e: DeployMarkerEvent) => publish('deploy.marker', e);
