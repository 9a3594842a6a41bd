import diagnosticsChannel, { type Channel } from 'node:diagnostics_channel';
import type { EventFamily, EventPayloads } from './types.js';

/**
 * One `node:diagnostics_channel` channel per event family, named `parapet:<family>`.
 * Publishing checks `hasSubscribers` first, so an unattached app pays one property read.
 * Channel names are public API.
 */
export const EVENT_FAMILIES = [
  'http.server.request', 'job.run', 'job.queue_sample', 'journey.step',
  'delivery.outbound', 'delivery.provider_feedback', 'delivery.webhook_ingest',
  'async.stage', 'async.backlog', 'async.callback', 'probe.run', 'deploy.marker', 'flag.change',
] as const satisfies readonly EventFamily[];

export const channelName = (family: EventFamily): string => `parapet:${family}`;

const channels = new Map<EventFamily, Channel>(EVENT_FAMILIES.map((f) => [f, diagnosticsChannel.channel(channelName(f))]));

/** The diagnostics channel of a family (for `hasSubscribers` checks before building a payload). */
export function channelOf(family: EventFamily): Channel {
  return channels.get(family)!;
}

/**
 * Publish one event. Never throws into the caller: Parapet's own subscribers catch their
 * errors, and a payload is only built by the caller when `channelOf(f).hasSubscribers`.
 */
export function publish<F extends EventFamily>(family: F, event: EventPayloads[F]): void {
  const channel = channels.get(family);
  if (channel?.hasSubscribers) channel.publish(event);
}

export type Subscriber<F extends EventFamily> = (event: EventPayloads[F]) => void;

/** Subscribe to a family; returns the unsubscribe function. */
export function subscribe<F extends EventFamily>(family: F, subscriber: Subscriber<F>): () => void {
  const name = channelName(family);
  const listener = subscriber as (message: unknown, name: string | symbol) => void;
  diagnosticsChannel.subscribe(name, listener);
  return () => {
    diagnosticsChannel.unsubscribe(name, listener);
  };
}
