import { HTTP_DURATION_BUCKETS, HTTP_METHODS, defineMetric } from '@parapet/core/integration';

/** Final outcome of one Stripe API call (after the client's own retries). */
export const STRIPE_API_OUTCOMES = ['ok', 'declined', 'client_error', 'rate_limited', 'server_error', 'no_response'] as const;
export type StripeApiOutcome = (typeof STRIPE_API_OUTCOMES)[number];

/** Why a webhook failed verification, from StripeSignatureVerificationError's message. */
export const SIGNATURE_FAILURE_REASONS = ['no_payload', 'no_header', 'bad_header', 'no_match', 'timestamp', 'other'] as const;
export type SignatureFailureReason = (typeof SIGNATURE_FAILURE_REASONS)[number];

export const WEBHOOK_OUTCOMES = ['processed', 'duplicate', 'handler_error', 'signature_invalid'] as const;

export const stripeApiRequests = defineMetric({
  name: 'parapet_stripe_api_requests_total',
  type: 'counter',
  help: 'Stripe API calls by endpoint template, method and final outcome (after the client\'s retries). declined = card errors (402), not a reliability failure.',
  labels: ['endpoint', 'method', 'outcome'],
  labelValues: { method: HTTP_METHODS, outcome: STRIPE_API_OUTCOMES },
  zeroInit: [{ outcome: 'ok' }, { outcome: 'server_error' }, { outcome: 'no_response' }],
});
export const stripeApiDuration = defineMetric({
  name: 'parapet_stripe_api_request_duration_seconds',
  type: 'histogram',
  help: 'Duration of the final attempt of a Stripe API call, as the client measured it.',
  labels: ['endpoint', 'method', 'outcome'],
  labelValues: { method: HTTP_METHODS, outcome: STRIPE_API_OUTCOMES },
  buckets: HTTP_DURATION_BUCKETS,
});
export const stripeApiRetries = defineMetric({
  name: 'parapet_stripe_api_retries_total',
  type: 'counter',
  help: 'Attempts the Stripe client retried (5xx, 409, connection errors), by endpoint template and method.',
  labels: ['endpoint', 'method'],
  labelValues: { method: HTTP_METHODS },
});
export const stripeWebhooks = defineMetric({
  name: 'parapet_stripe_webhooks_total',
  type: 'counter',
  help: 'Stripe webhook deliveries by outcome: processed, duplicate, handler_error (answered 500, Stripe retries) or signature_invalid (answered 400).',
  labels: ['outcome', 'reason'],
  labelValues: { outcome: WEBHOOK_OUTCOMES, reason: [...SIGNATURE_FAILURE_REASONS, 'none'] },
  zeroInit: [{ outcome: 'signature_invalid', reason: 'no_match' }, { outcome: 'handler_error', reason: 'none' }],
});
export const stripeMetrics = [stripeApiRequests, stripeApiDuration, stripeApiRetries, stripeWebhooks] as const;
