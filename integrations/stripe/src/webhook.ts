import { publishAsyncCallback, publishJourneyStep } from '@parapet/core';
import { type BoundedCounter } from '@parapet/core/integration';
import { ParapetError, errorResponse } from '@parapet/core/integration';
import type { SignatureFailureReason } from './metrics.js';

/** A Stripe event, as much of it as Parapet reads. */
export interface StripeEventLike {
  id: string;
  type: string;
  created: number;
  data: { object: unknown };
}

export interface StripeWebhooksLike {
  constructEvent(payload: string | Buffer, header: string | string[] | Buffer, secret: string, tolerance?: number): unknown;
}

export interface WebhookDeps {
  webhooks: StripeWebhooksLike;
  secrets: readonly string[];
  toleranceSeconds: number;
  onEvent?: (event: StripeEventLike) => void | Promise<void>;
  checkoutJourney: string;
  maxBodyBytes: number;
  dedupeCapacity: number;
  /** The attached integration's webhook counter, when attached. */
  counter: () => BoundedCounter | undefined;
  reportError: (error: unknown) => void;
}

export function signatureFailureReason(error: unknown): SignatureFailureReason {
  const message = String((error as Error)?.message ?? '');
  if (/No webhook payload/i.test(message)) return 'no_payload';
  if (/No stripe-signature header/i.test(message)) return 'no_header';
  if (/Unable to extract timestamp|No signatures found with expected scheme/i.test(message)) return 'bad_header';
  if (/Timestamp outside the tolerance/i.test(message)) return 'timestamp';
  if (/No signatures found matching/i.test(message)) return 'no_match';
  return 'other';
}

const isSignatureError = (error: unknown) =>
  (error as { type?: unknown })?.type === 'StripeSignatureVerificationError' || (error as { name?: unknown })?.name === 'StripeSignatureVerificationError';

/** Checkout events whose successful handling means the customer got what they paid for. */
function isFulfilment(event: StripeEventLike): boolean {
  if (event.type === 'checkout.session.async_payment_succeeded') return true;
  if (event.type !== 'checkout.session.completed') return false;
  const status = (event.data?.object as { payment_status?: unknown } | undefined)?.payment_status;
  // `unpaid` = a delayed payment method: fulfilment waits for async_payment_succeeded.
  return status === 'paid' || status === 'no_payment_required';
}

/** Stage label of a webhook: the event type's family, from a small closed set. */
export const WEBHOOK_STAGES = ['checkout', 'payment', 'invoice', 'subscription', 'other'] as const;
export function stageOf(type: string): (typeof WEBHOOK_STAGES)[number] {
  if (type.startsWith('checkout.session.')) return 'checkout';
  if (/^(payment_intent|charge|refund|payment_method)\./.test(type)) return 'payment';
  if (type.startsWith('invoice.')) return 'invoice';
  if (type.startsWith('customer.subscription.')) return 'subscription';
  return 'other';
}

export function createStripeWebhookHandler(d: WebhookDeps): (request: Request) => Promise<Response> {
  const seen = new Map<string, true>();
  const claim = (id: string) => {
    if (seen.has(id)) return false;
    seen.set(id, true);
    if (seen.size > d.dedupeCapacity) seen.delete(seen.keys().next().value as string);
    return true;
  };
  const count = (outcome: string, reason: string) => {
    try {
      d.counter()?.labels({ outcome, reason }).inc(1);
    } catch (error) {
      d.reportError(error);
    }
  };

  return async (request) => {
    if (request.method !== 'POST') return errorResponse(new ParapetError('METHOD_NOT_ALLOWED', 'The Stripe webhook accepts POST only.'), { allow: 'POST' });
    const body = Buffer.from(await request.arrayBuffer());
    if (body.length > d.maxBodyBytes) return errorResponse(new ParapetError('PAYLOAD_TOO_LARGE', `Webhook body is ${body.length} bytes; the limit is ${d.maxBodyBytes}.`));
    const header = request.headers.get('stripe-signature') ?? '';

    let event: StripeEventLike | undefined;
    let lastError: unknown;
    for (const secret of d.secrets) {
      try {
        event = d.webhooks.constructEvent(body, header, secret, d.toleranceSeconds) as StripeEventLike;
        break;
      } catch (error) {
        lastError = error;
        if (!isSignatureError(error)) break;
      }
    }
    if (!event) {
      if (!isSignatureError(lastError)) {
        d.reportError(lastError);
        return errorResponse(new ParapetError('INVALID_REQUEST', 'The Stripe webhook body is not a Stripe event.'));
      }
      const reason = signatureFailureReason(lastError);
      count('signature_invalid', reason);
      return errorResponse(
        new ParapetError('INVALID_REQUEST', `Stripe webhook signature verification failed (${reason}). Check the endpoint secret (whsec_...) and that no body parser ran before this handler.`, { details: { reason } }),
      );
    }

    if (!claim(event.id)) {
      count('duplicate', 'none');
      return Response.json({ received: true, duplicate: true });
    }
    const lag = Math.max(0, Date.now() / 1000 - event.created);
    const stage = stageOf(event.type);
    const fulfilment = isFulfilment(event);
    try {
      await d.onEvent?.(event);
    } catch (error) {
      seen.delete(event.id); // Stripe retries: process the retry
      count('handler_error', 'none');
      publishAsyncCallback({ integration: 'stripe', provider: 'stripe', queue: 'webhooks', stage, outcome: 'retryable_failed', delaySeconds: lag, refs: { event_id: event.id } });
      if (fulfilment) publishJourneyStep({ journey: d.checkoutJourney, step: 'fulfilment', outcome: 'failure', reason: 'handler_error', refs: { event_id: event.id } });
      d.reportError(error);
      return errorResponse(new ParapetError('UNAVAILABLE', 'Handling the Stripe event failed; Stripe will retry it.'));
    }
    count('processed', 'none');
    publishAsyncCallback({ integration: 'stripe', provider: 'stripe', queue: 'webhooks', stage, outcome: 'succeeded', delaySeconds: lag, refs: { event_id: event.id } });
    if (fulfilment) publishJourneyStep({ journey: d.checkoutJourney, step: 'fulfilment', outcome: 'success', durationSeconds: lag, refs: { event_id: event.id } });
    return Response.json({ received: true });
  };
}
