import { channelOf } from './channels.js';
import type { EventFamily, EventPayloads } from './types.js';

/** A publish function bound to its family's channel: one `hasSubscribers` read when unattached. */
function publisher<F extends EventFamily>(family: F): (event: EventPayloads[F]) => void {
  const channel = channelOf(family);
  return (event) => {
    if (channel.hasSubscribers) channel.publish(event);
  };
}

/** Typed publishing helpers, one per family, for adapters and integrations. */
export const publishHttpServerRequest = publisher('http.server.request');
export const publishJobRun = publisher('job.run');
export const publishQueueSample = publisher('job.queue_sample');
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
export const markDeploy = publisher('deploy.marker');
