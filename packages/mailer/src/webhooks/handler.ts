import { publishDeliveryProviderFeedback, publishDeliveryWebhookIngest } from '@parapet/core';
import { ParapetError, errorResponse } from '@parapet/core/integration';
import * as z from 'zod';
import { memoryDedupe, type DedupeStore } from '../dedupe.js';
import type { WebhookRejectionReason } from '../metrics.js';
import { countRejection, reportError } from '../report.js';
import { failureClassOf, faultPlaneOf, outcomeOf, type DeliveryFeedback, type MailProvider } from '../vocabulary.js';

/** A fetch-standard handler: mount it on any framework (Hono directly, Express through @parapet/express). */
export type WebhookHandler = (request: Request) => Promise<Response>;

/** Options every provider's webhook handler accepts. */
export interface WebhookHandlerOptions {
  /** Called once per new (verified, not duplicate) event. Throwing answers 503 so the provider retries. */
  onEvent?: (feedback: DeliveryFeedback) => void | Promise<void>;
  /** Where processed event ids are remembered. Default: an in-memory LRU of `dedupeCapacity` ids. */
  dedupe?: DedupeStore;
  /** Capacity of the default in-memory dedupe. Default 10000. */
  dedupeCapacity?: number;
  /** Largest body accepted, in bytes. Default 5 MiB. */
  maxBodyBytes?: number;
  /** Channel label. Default `email`. */
  channel?: string;
  /** Called with errors Parapet caught (bad signatures are answered, not reported). */
  onError?: (error: unknown) => void;
}

export const commonOptionShape = {
  onEvent: z.function().optional(),
  dedupe: z.custom<DedupeStore>((v) => typeof v === 'object' && v !== null && typeof (v as DedupeStore).claim === 'function' && typeof (v as DedupeStore).release === 'function', {
    message: 'a store with claim(key) and release(key)',
  }).optional(),
  dedupeCapacity: z.number().int().positive().optional(),
  maxBodyBytes: z.number().int().positive().optional(),
  channel: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/).optional(),
  onError: z.function().optional(),
};

/** What a provider module supplies: how to verify a request and how to read its events. */
export interface ProviderDefinition {
  provider: MailProvider;
  /** Throw ParapetError('UNAUTHORIZED' | 'INVALID_REQUEST') when the request is not authentic. */
  verify(request: Request, body: Buffer, now: Date): void | Promise<void>;
  /**
   * Events in a verified body. `null` entries are events outside the delivery vocabulary
   * (opens, clicks, ...): acknowledged, not recorded. May answer a non-event message itself
   * (SNS subscription confirmation) by returning a Response.
   */
  parse(body: Buffer, request: Request): Promise<Array<DeliveryFeedback | null> | Response> | Array<DeliveryFeedback | null> | Response;
}

const DEFAULT_MAX_BODY = 5 * 1024 * 1024;

async function readBody(request: Request, max: number): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    throw new ParapetError('PAYLOAD_TOO_LARGE', `Webhook body is ${declared} bytes; the limit is ${max} (option maxBodyBytes).`);
  }
  const body = Buffer.from(await request.arrayBuffer());
  if (body.length > max) throw new ParapetError('PAYLOAD_TOO_LARGE', `Webhook body is ${body.length} bytes; the limit is ${max} (option maxBodyBytes).`);
  return body;
}

/**
 * Build a provider webhook handler: verify the raw body first (nothing is parsed, recorded or
 * deduped before that), then normalize, dedupe by the provider's event id, call `onEvent` and
 * publish `delivery.provider_feedback` + `delivery.webhook_ingest` (with the callback lag).
 * Refused requests publish nothing: they count in `parapet_mailer_webhook_rejections_total`.
 */
export function createWebhookHandler(def: ProviderDefinition, options: WebhookHandlerOptions): WebhookHandler {
  const dedupe = options.dedupe ?? memoryDedupe(options.dedupeCapacity ?? 10_000);
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const where = { integration: 'mailer', provider: def.provider, channel: options.channel ?? 'email' } as const;
  const onError = options.onError;
  const component = `mailer.webhook.${def.provider}`;

  const rejected = (error: unknown): Response => {
    countRejection(def.provider, reasonOf(error));
    return errorResponse(error, error instanceof ParapetError && error.code === 'UNAUTHORIZED' ? { 'www-authenticate': wwwAuthenticate(def.provider) } : {});
  };

  return async (request) => {
    if (request.method !== 'POST') {
      return errorResponse(new ParapetError('METHOD_NOT_ALLOWED', `The ${def.provider} webhook accepts POST only.`), { allow: 'POST' });
    }
    let body: Buffer;
    let events: Array<DeliveryFeedback | null> | Response;
    const now = new Date();
    try {
      body = await readBody(request, maxBody);
      await def.verify(request, body, now);
    } catch (error) {
      if (!(error instanceof ParapetError)) reportError(component, error, onError);
      return rejected(error);
    }
    try {
      events = await def.parse(body, request);
    } catch (error) {
      if (!(error instanceof ParapetError)) reportError(component, error, onError);
      return rejected(error instanceof ParapetError ? error : new ParapetError('INVALID_REQUEST', `The ${def.provider} webhook body could not be read: ${String((error as Error)?.message ?? error)}`));
    }
    if (events instanceof Response) return events;

    let received = 0;
    let duplicates = 0;
    let ignored = 0;
    for (const event of events) {
      if (!event) {
        ignored++;
        continue;
      }
      const key = `${def.provider}:${event.eventId}`;
      let fresh: boolean;
      try {
        fresh = await dedupe.claim(key);
      } catch (error) {
        reportError(component, error, onError);
        countRejection(def.provider, 'unavailable');
        return errorResponse(new ParapetError('UNAVAILABLE', 'The webhook dedupe store failed; the provider will retry.', { cause: error }));
      }
      if (!fresh) {
        duplicates++;
        continue;
      }
      if (options.onEvent) {
        try {
          await options.onEvent(event);
        } catch (error) {
          await Promise.resolve(dedupe.release(key)).catch(() => {});
          reportError(component, error, onError);
          countRejection(def.provider, 'handler_error');
          return errorResponse(new ParapetError('UNAVAILABLE', `Handling a ${def.provider} event failed in onEvent; the provider will retry.`));
        }
      }
      received++;
      record(event);
    }
    return Response.json({ received, duplicates, ignored });

    function record(event: DeliveryFeedback) {
      try {
        const refs: Record<string, string> = { event_id: event.eventId };
        if (event.messageId) refs.message_id = event.messageId;
        if (event.recipients[0]) refs.recipient = event.recipients[0];
        const outcome = outcomeOf(event.kind);
        const faultPlane = faultPlaneOf(event.kind);
        const failureClass = failureClassOf(event);
        publishDeliveryProviderFeedback({ ...where, outcome, faultPlane, ...(failureClass && { failureClass }), refs });
        const lag = event.occurredAt ? (now.getTime() - event.occurredAt.getTime()) / 1000 : undefined;
        publishDeliveryWebhookIngest({ ...where, outcome, faultPlane, ...(lag !== undefined && lag >= 0 && { delaySeconds: lag }), refs });
      } catch (error) {
        reportError(component, error, onError);
      }
    }
  };
}

function reasonOf(error: unknown): WebhookRejectionReason {
  if (!(error instanceof ParapetError)) return 'invalid_request';
  switch (error.code) {
    case 'UNAUTHORIZED':
      return 'unauthorized';
    case 'PAYLOAD_TOO_LARGE':
      return 'payload_too_large';
    case 'UNAVAILABLE':
      return 'unavailable';
    default:
      return 'invalid_request';
  }
}

function wwwAuthenticate(provider: MailProvider): string {
  return provider === 'postmark' ? 'Basic realm="postmark-webhook"' : `Signature realm="${provider}-webhook"`;
}

/** Parse JSON from a verified body, or throw INVALID_REQUEST. */
export function parseJson(body: Buffer, provider: MailProvider): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new ParapetError('INVALID_REQUEST', `The ${provider} webhook body is not JSON.`);
  }
}

/** A Date from an ISO string, unix seconds or milliseconds; undefined when unusable. */
export function toDate(value: unknown, unit: 'ms' | 's' = 'ms'): Date | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(unit === 's' ? value * 1000 : value);
  if (typeof value === 'string' && value) {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);
export const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
