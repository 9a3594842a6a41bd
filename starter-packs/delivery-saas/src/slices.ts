import type { SliceSpec } from '@parapet/core/slo';

/** The delivery slices (email), given a runbook base URL. */
export function deliverySlices(runbookBaseUrl: string): SliceSpec[] {
  return [
    {
      name: 'delivery_saas_email_acceptance',
      description: 'Email provider acceptance',
      objective: 99.5,
      alert: 'page',
      runbookUrl: `${runbookBaseUrl}/email-acceptance`,
      groupBy: ['provider'],
      // Did the provider take the message? Suppressed (we chose not to send) and deferred
      // (will retry) sends are not judged.
      sli: {
        kind: 'event-ratio',
        total: { metric: 'parapet_delivery_outbound_total', matchers: { channel: 'email', outcome: ['provider_accepted', 'failed'] } },
        bad: { metric: 'parapet_delivery_outbound_total', matchers: { channel: 'email', outcome: 'failed' } },
      },
    },
    {
      name: 'delivery_saas_email_delivery',
      description: 'Confirmed email delivery',
      objective: 99,
      alert: 'ticket',
      runbookUrl: `${runbookBaseUrl}/email-delivery`,
      groupBy: ['provider'],
      // Judged on provider feedback alone (never feedback over attempts: feedback lags).
      sli: {
        kind: 'event-ratio',
        total: { metric: 'parapet_delivery_provider_feedback_total', matchers: { channel: 'email', outcome: ['delivered', 'bounced', 'failed'] } },
        bad: { metric: 'parapet_delivery_provider_feedback_total', matchers: { channel: 'email', outcome: ['bounced', 'failed'] } },
      },
    },
    {
      name: 'delivery_saas_callback_freshness',
      description: 'Delivery callback freshness',
      objective: 99,
      alert: 'ticket',
      runbookUrl: `${runbookBaseUrl}/callback-freshness`,
      groupBy: ['provider'],
      // A provider that stops calling back leaves delivery state unknown.
      sli: { kind: 'freshness', metric: 'parapet_delivery_webhook_last_received_timestamp_seconds', matchers: { channel: 'email' }, gauge: 'timestamp', maxAgeSeconds: 3600 },
    },
  ];
}
