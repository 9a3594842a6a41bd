import { defineMetric } from '@parapet/core/integration';
import { MAIL_PROVIDERS } from './vocabulary.js';

/** Why a webhook request was not ingested. */
export const WEBHOOK_REJECTION_REASONS = ['unauthorized', 'invalid_request', 'payload_too_large', 'handler_error', 'unavailable'] as const;
export type WebhookRejectionReason = (typeof WEBHOOK_REJECTION_REASONS)[number];

/**
 * Webhook requests the mailer handlers refused or failed (answered 4xx/5xx). Kept apart from
 * `delivery.webhook_ingest`, whose last-received gauge is the callback freshness signal: a
 * provider whose every request fails verification must not look fresh.
 */
export const mailerWebhookRejections = defineMetric({
  name: 'parapet_mailer_webhook_rejections_total',
  type: 'counter',
  help: 'Provider webhook requests not ingested, by provider and reason (unauthorized = bad signature, credentials or expired timestamp).',
  labels: ['provider', 'reason'],
  labelValues: { provider: MAIL_PROVIDERS, reason: WEBHOOK_REJECTION_REASONS },
  zeroInit: [{ reason: 'unauthorized' }],
});
