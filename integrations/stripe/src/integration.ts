import type { BoundedCounter } from '@parapet/core/integration';
import { parseOptions, type Integration, type IntegrationContext } from '@parapet/core/integration';
import * as z from 'zod';
import { ApiTracker, type RequestEventLike, type ResponseEventLike } from './api.js';
import { stripeApiDuration, stripeApiRequests, stripeApiRetries, stripeWebhooks } from './metrics.js';
import { createStripeWebhookHandler, type StripeEventLike, type StripeWebhooksLike } from './webhook.js';

/** The part of a Stripe client used here: its events and its webhook verifier. */
export interface StripeClientLike {
  on(event: 'request' | 'response', listener: (event: never) => void): unknown;
  off(event: 'request' | 'response', listener: (event: never) => void): unknown;
  webhooks: StripeWebhooksLike;
  getApiField?(key: 'timeout'): unknown;
}

export interface ParapetStripeOptions {
  /** Your Stripe client (`new Stripe(key, ...)`). */
  client: StripeClientLike;
  /** Calls that start a checkout, as `METHOD /template`. Default: creating a Checkout Session or a PaymentIntent. */
  checkoutEndpoints?: readonly string[];
  /** Journey name for checkout steps. Default `checkout`. */
  checkoutJourney?: string;
  /** A call with no response and no retry for this long got no response. Default: the client's timeout + 10 s. */
  responseDeadlineMs?: number;
  /** Calls tracked at once; beyond it the oldest counts as no_response. Default 10000. */
  maxInFlight?: number;
}

export interface StripeWebhookOptions {
  /** The endpoint's signing secret (`whsec_...`), or several during a rotation. */
  secret: string | readonly string[];
  /** Your handler. Throw to answer 500 so Stripe retries. */
  onEvent?: (event: StripeEventLike) => void | Promise<void>;
  /** Signature timestamp tolerance. Default 300 (Stripe's). */
  toleranceSeconds?: number;
  /** Default 1 MiB. */
  maxBodyBytes?: number;
  /** Event ids remembered for dedupe. Default 10000. */
  dedupeCapacity?: number;
}

const journey = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'a lower_snake name');
const schema = z.strictObject({
  client: z.custom<StripeClientLike>((c) => typeof (c as StripeClientLike)?.on === 'function' && typeof (c as StripeClientLike)?.off === 'function' && typeof (c as StripeClientLike)?.webhooks?.constructEvent === 'function', {
    message: 'a Stripe client (new Stripe(key))',
  }),
  checkoutEndpoints: z.array(z.string().regex(/^(GET|POST|DELETE) \/v\d\/\S+$/, '"METHOD /v1/template", e.g. "POST /v1/checkout/sessions"')).optional(),
  checkoutJourney: journey.optional(),
  responseDeadlineMs: z.number().int().positive().optional(),
  maxInFlight: z.number().int().positive().optional(),
});
const webhookSchema = z.strictObject({
  secret: z.union([z.string().startsWith('whsec_', 'the endpoint signing secret, starting with "whsec_"'), z.array(z.string().startsWith('whsec_')).min(1)]),
  onEvent: z.function().optional(),
  toleranceSeconds: z.number().positive().optional(),
  maxBodyBytes: z.number().int().positive().optional(),
  dedupeCapacity: z.number().int().positive().optional(),
});

export interface ParapetStripe extends Integration {
  /** A fetch-standard webhook handler `(Request) => Promise<Response>`: mount it before any body parser. */
  webhook(options: StripeWebhookOptions): (request: Request) => Promise<Response>;
}

/**
 * The Stripe integration for `attach()`: the client's 'request'/'response' events become
 * `parapet_stripe_api_*` metrics by endpoint template and a checkout `start` journey step;
 * `webhook()` verifies and handles webhooks (signature failures, handler errors, fulfilment lag
 * as `async.callback`, checkout `fulfilment` journey steps). Card declines and expired sessions
 * are never reliability failures.
 */
export function parapetStripe(options: ParapetStripeOptions): ParapetStripe {
  const opts = parseOptions(schema, options, 'parapetStripe()');
  const client = opts.client;
  const checkoutJourney = opts.checkoutJourney ?? 'checkout';
  const timeout = Number(client.getApiField?.('timeout'));
  const deadline = opts.responseDeadlineMs ?? (Number.isFinite(timeout) && timeout > 0 ? timeout : 80_000) + 10_000;
  let context: IntegrationContext | undefined;
  let webhookCounter: BoundedCounter | undefined;

  return {
    name: 'stripe',
    setup(ctx) {
      context = ctx;
      webhookCounter = ctx.metrics.counter(stripeWebhooks);
      const tracker = new ApiTracker({
        requests: ctx.metrics.counter(stripeApiRequests),
        duration: ctx.metrics.histogram(stripeApiDuration),
        retries: ctx.metrics.counter(stripeApiRetries),
        checkoutEndpoints: new Set(opts.checkoutEndpoints ?? ['POST /v1/checkout/sessions', 'POST /v1/payment_intents']),
        checkoutJourney,
        responseDeadlineMs: deadline,
        maxInFlight: opts.maxInFlight ?? 10_000,
      });
      const guard = <T>(fn: (e: T) => void) => (e: T) => {
        try {
          fn(e);
        } catch (error) {
          ctx.reportError('stripe.events', error);
        }
      };
      const onRequest = guard<RequestEventLike>((e) => tracker.onRequest(e));
      const onResponse = guard<ResponseEventLike>((e) => tracker.onResponse(e));
      client.on('request', onRequest as (e: never) => void);
      client.on('response', onResponse as (e: never) => void);
      const timer = setInterval(guard(() => tracker.sweep()), Math.max(10, Math.min(5_000, Math.floor(deadline / 4))));
      timer.unref();
      return () => {
        clearInterval(timer);
        client.off('request', onRequest as (e: never) => void);
        client.off('response', onResponse as (e: never) => void);
        context = undefined;
        webhookCounter = undefined;
      };
    },
    webhook(webhookOptions) {
      const w = parseOptions(webhookSchema, webhookOptions, 'parapetStripe().webhook()');
      return createStripeWebhookHandler({
        webhooks: client.webhooks,
        secrets: typeof w.secret === 'string' ? [w.secret] : w.secret,
        toleranceSeconds: w.toleranceSeconds ?? 300,
        ...(w.onEvent && { onEvent: w.onEvent as (event: StripeEventLike) => void | Promise<void> }),
        checkoutJourney,
        maxBodyBytes: w.maxBodyBytes ?? 1024 * 1024,
        dedupeCapacity: w.dedupeCapacity ?? 10_000,
        counter: () => webhookCounter,
        reportError: (error) => context?.reportError('stripe.webhook', error),
      });
    },
  };
}
