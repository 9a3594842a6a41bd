// The SLOs of the demo app: exactly the starter-pack slices whose signals the demo emits (so no
// NoData alert for a signal it never sends). `npm run parapet -- gen prometheus|alertmanager|grafana
// --config apps/demo/parapet.config.ts` turns them into rules, Alertmanager config and dashboards.
// PARAPET_WINDOWS=short picks the short-window profile (a page in minutes: demos and tests only).
import { defineConfig } from '@parapet/core';
import { shortWindows, workbookWindows } from '@parapet/core/slo';
import { deliverySaas } from '@parapet/starter-pack-delivery-saas';

const runbookBaseUrl = 'https://runbooks.example.com/demo';
const publicUrl = process.env.PARAPET_PUBLIC_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  version: 'parapet/v1',
  providers: [
    // The web-saas slices (HTTP availability and latency, the login journey, the receipt-email job)
    // plus email acceptance. The demo hands the email to a stand-in provider and gets no provider
    // feedback or callbacks, so those two slices are excluded.
    deliverySaas({ runbookBaseUrl, exclude: ['delivery_saas_email_delivery', 'delivery_saas_callback_freshness'] }),
  ],
  windows: process.env.PARAPET_WINDOWS === 'short' ? shortWindows : workbookWindows,
  alertmanager: {
    webhookUrl: `${publicUrl}/parapet/alertmanager`,
    // Alertmanager reads the webhook token from this file: write one of PARAPET_WEBHOOK_TOKENS there.
    bearerTokenFile: process.env.PARAPET_WEBHOOK_TOKEN_FILE ?? '/etc/alertmanager/secrets/parapet-webhook-token',
  },
});
