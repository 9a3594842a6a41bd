// @parapet/stripe — Stripe API health, verified webhooks and an honest checkout journey.
export { parapetStripe, type ParapetStripe, type ParapetStripeOptions, type StripeWebhookOptions, type StripeClientLike } from './integration.js';
export { stripePathTemplate } from './paths.js';
export { signatureFailureReason, stageOf as webhookStageOf, WEBHOOK_STAGES, type StripeEventLike } from './webhook.js';
export {
  STRIPE_API_OUTCOMES, SIGNATURE_FAILURE_REASONS, WEBHOOK_OUTCOMES,
  stripeApiRequests, stripeApiDuration, stripeApiRetries, stripeWebhooks, stripeMetrics,
  type StripeApiOutcome, type SignatureFailureReason,
} from './metrics.js';
