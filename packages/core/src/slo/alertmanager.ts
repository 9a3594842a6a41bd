import type { AlertmanagerOptions } from './spec.js';
import { SloSpecError } from './validate.js';
import { generatedHeader, toYaml } from './yaml.js';

export const DEFAULT_BEARER_TOKEN_FILE = '/etc/alertmanager/secrets/parapet-webhook-token';

/**
 * Alertmanager config: every SLO alert goes to Parapet's webhook (the evidence spine) and then,
 * by severity, to the page or ticket receiver. A page inhibits the ticket for the same slice.
 */
export function generateAlertmanagerConfig(options: AlertmanagerOptions): string {
  if (!options || typeof options.webhookUrl !== 'string' || !/^https?:\/\/\S+$/.test(options.webhookUrl)) {
    throw new SloSpecError([`alertmanager.webhookUrl: must be the http(s) URL of Parapet's Alertmanager webhook, e.g. "https://app.example.com/parapet/alertmanager"; got ${JSON.stringify(options?.webhookUrl)}.`]);
  }
  for (const key of ['pageReceiver', 'ticketReceiver'] as const) {
    if (options[key] && 'name' in options[key]) throw new SloSpecError([`alertmanager.${key}: leave out "name"; Parapet names the receivers parapet-page and parapet-ticket.`]);
  }
  const config = {
    route: {
      receiver: 'parapet-webhook',
      group_by: ['alertname', 'slo', 'severity'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: [
        // Evidence first: Parapet records every SLO alert, then routing continues by severity.
        { receiver: 'parapet-webhook', matchers: ['slo=~".+"'], continue: true },
        { receiver: 'parapet-page', matchers: ['severity="page"'], repeat_interval: '1h' },
        { receiver: 'parapet-ticket', matchers: ['severity="ticket"'], repeat_interval: '12h' },
      ],
    },
    inhibit_rules: [{ source_matchers: ['severity="page"'], target_matchers: ['severity="ticket"'], equal: ['slo'] }],
    receivers: [
      {
        name: 'parapet-webhook',
        webhook_configs: [{
          url: options.webhookUrl,
          send_resolved: true,
          http_config: { authorization: { type: 'Bearer', credentials_file: options.bearerTokenFile ?? DEFAULT_BEARER_TOKEN_FILE } },
        }],
      },
      // A receiver without integrations is valid and drops notifications: add yours in the config.
      { name: 'parapet-page', ...(options.pageReceiver ?? {}) },
      { name: 'parapet-ticket', ...(options.ticketReceiver ?? {}) },
    ],
  };
  return generatedHeader('parapet gen alertmanager') + toYaml(config);
}
