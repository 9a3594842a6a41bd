import { channelOf } from './channels.js';
import type { EventFamily, EventPayloads } from './types.js';

/** A publish function bound to its family's channel: one `hasSubscribers` read when unattached. */
function publisher<F extends EventFamily>(family: F): (event: EventPayloads[F]) => void {
  const channel = channelOf(family);
  return (event) => {
    if (channel.hasSubscribers) channel.publish(event);
  };
}

/**
 * Typed publishing helpers, one per family, named `publish` + the family in PascalCase. Each
 * checks `hasSubscribers` itself: call it directly, no guard needed. Guard with
 * `channelOf(family).hasSubscribers` only when building the payload itself is expensive.
 */
export const publishHttpServerRequest = publisher('http.server.request');
export const publishJobRun = publisher('job.run');
export const publishJobQueueSample = publisher('job.queue_sample');
export const publishJourneyStep = publisher('journey.step');
export const publishDeliveryOutbound = publisher('delivery.outbound');
export const publishDeliveryProviderFeedback = publisher('delivery.provider_feedback');
export const publishDeliveryWebhookIngest = publisher('delivery.webhook_ingest');
export const publishAsyncStage = publisher('async.stage');
export const publishAsyncBacklog = publisher('async.backlog');
export const publishAsyncCallback = publisher('async.callback');
export const publishProbeRun = publisher('probe.run');
export const publishFlagChange = publisher('flag.change');
/** Record a deploy marker (Grafana annotations, incident timelines). */
export const publishDeployMarker = publisher('deploy.marker');

/** @deprecated Use publishJobQueueSample (family `job.queue_sample`). Removed in the next minor. */
export const publishQueueSample = publishJobQueueSample;
/** @deprecated Use publishDeployMarker (family `deploy.marker`). Removed in the next minor. */
export const markDeploy = publishDeployMarker;
