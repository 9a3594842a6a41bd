// The Standard Webhooks signer and verifier live in core (one copy, shared with the SLO monitor).
export { signStandardWebhook, verifyStandardWebhook, type StandardWebhookHeaders } from '@parapet/core/integration';
