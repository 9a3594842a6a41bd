import diagnosticsChannel, { type Channel } from 'node:diagnostics_channel';
import * as z from 'zod';
import { ParapetError } from '../errors/parapet-error.js';
import { SUBSCRIBER_COMPONENT } from '../internal/components.js';
import { parseOptions } from '../internal/options.js';
import { consoleLogger, RateLimitedLogger } from '../internal/logger.js';
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

export interface SubscribeOptions {
  /**
   * Who is subscribing, for the log line when the subscriber throws (e.g. `"my-audit-log"`).
   * Free text for logs only; never a label.
   */
  name?: string;
  /**
   * Called with an error the subscriber threw. Default: the error is counted in
   * `parapet_internal_errors_total{component="core.subscriber"}` of every live attachment and
   * logged (rate-limited). Either way it never reaches the publisher or the process.
   */
  onError?: (error: unknown) => void;
}

const subscribeSchema = z.strictObject({
  name: z.string().optional(),
  onError: z.custom<(error: unknown) => void>((v) => typeof v === 'function', { message: 'must be a function (error) => void' }).optional(),
});

/** Where subscriber faults are counted: each live attach() registers its runtime here. */
type FaultReporter = (component: string, error: unknown) => void;
const faultReporters = new Set<FaultReporter>();
const fallbackLog = new RateLimitedLogger(consoleLogger);


/**
 * @internal attach() registers its error reporter so faults of subscribers it does not own are
 * counted in its `parapet_internal_errors_total`. Returns the unregister function.
 */
export function reportSubscriberFaults(reporter: FaultReporter): () => void {
  faultReporters.add(reporter);
  return () => {
    faultReporters.delete(reporter);
  };
}

function subscriberFault(name: string | undefined, error: unknown): void {
  try {
    reportFault(name, error);
  } catch {
    // Reporting must never become the failure.
  }
}

function reportFault(name: string | undefined, error: unknown): void {
  const described = new Error(
    `a subscriber${name ? ` "${name}"` : ''} of a Parapet channel threw: ${error instanceof Error ? error.message : String(error)}. ` +
      'The event was still delivered to every other subscriber; fix the subscriber or pass onError to subscribe().',
    { cause: error },
  );
  if (faultReporters.size === 0) {
    fallbackLog.error(`subscriber:${name ?? ''}`, described.message, { component: SUBSCRIBER_COMPONENT, error });
    return;
  }
  for (const report of faultReporters) report(SUBSCRIBER_COMPONENT, described);
}

/**
 * Subscribe to a family; returns the unsubscribe function. Guarded: if `subscriber` throws, the
 * error is caught, counted and logged (or handed to `options.onError`), so one faulty subscriber
 * can neither crash the host nor break delivery to the others. Plain
 * `diagnostics_channel.subscribe()` with a throwing function is NOT guarded: Node rethrows the
 * error on the next tick, which crashes the process unless it has an `uncaughtException` handler.
 */
export function subscribe<F extends EventFamily>(family: F, subscriber: Subscriber<F>, options: SubscribeOptions = {}): () => void {
  if (!channels.has(family)) {
    throw new ParapetError('INVALID_OPTIONS', `subscribe(): unknown event family ${JSON.stringify(family)}; families: ${EVENT_FAMILIES.join(', ')}.`);
  }
  if (typeof subscriber !== 'function') throw new ParapetError('INVALID_OPTIONS', 'subscribe(): the subscriber must be a function (event) => void.');
  const { onError } = parseOptions(subscribeSchema, options, 'subscribe()');
  const name = channelName(family);
  const listener = (message: unknown): void => {
    try {
      subscriber(message as EventPayloads[F]);
    } catch (error) {
      try {
        if (onError) onError(error);
        else subscriberFault(options.name, error);
      } catch (secondary) {
        subscriberFault(options.name, secondary);
      }
    }
  };
  diagnosticsChannel.subscribe(name, listener);
  return () => {
    diagnosticsChannel.unsubscribe(name, listener);
  };
}
