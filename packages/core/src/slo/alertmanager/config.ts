import {
  PAGE_RECEIVER, PAGE_SEVERITY, SEVERITY_LABEL, SLO_LABEL, TICKET_RECEIVER, TICKET_SEVERITY, WEBHOOK_RECEIVER, ALERTNAME_LABEL,
  WATCHDOG_ALERTNAME, WATCHDOG_ROUTE_TIMING,
} from '../conventions.js';
import { SloSpecError } from '../model/spec-error.js';
import type { AlertmanagerOptions, ResolvedSlice } from '../model/spec.js';
import { generatedHeader, toYaml } from '../internal/yaml.js';

/** Where docs explain how to add real page and ticket receivers. */
export const RECEIVERS_DOC = "Parapet's docs/alertmanager-receivers.md";

/**
 * The labels a page must share with a ticket to inhibit it: the slice, and every grouping label
 * of every slice. A slice without a given grouping label has it on neither alert, and
 * Alertmanager treats two missing labels as equal, so one rule serves all slices while a page
 * for one group (route="/login") never silences the ticket of another group (route="/api").
 */
export function inhibitEqualLabels(slices: readonly Pick<ResolvedSlice, 'groupBy'>[]): string[] {
  const grouping = [...new Set(slices.flatMap((s) => s.groupBy))].sort();
  return [SLO_LABEL, ...grouping.filter((l) => l !== SLO_LABEL)];
}

function receiverComment(options: AlertmanagerOptions): string {
  const missing = (['pageReceiver', 'ticketReceiver'] as const).filter((key) => options[key] === undefined);
  if (missing.length === 0) return '';
  return (
    `# NOTE: ${missing.map((k) => (k === 'pageReceiver' ? PAGE_RECEIVER : TICKET_RECEIVER)).join(' and ')} ha${missing.length > 1 ? 've' : 's'} no integrations yet: ` +
    `those alerts reach only Parapet's webhook.\n# Set alertmanager.${missing.join(' / alertmanager.')} in parapet.config.ts (PagerDuty, Slack, ...); see ${RECEIVERS_DOC}\n`
  );
}

/**
 * Alertmanager config: the watchdog (loop health) goes to Parapet's webhook alone; every SLO alert
 * goes to Parapet's webhook (the evidence spine) and then, by severity, to the page or ticket receiver. A page inhibits the tickets of the same slice and
 * group. Needs `bearerTokenFile` (or `false` for a public webhook): there is no default path.
 */
export function generateAlertmanagerConfig(slices: readonly ResolvedSlice[], options: AlertmanagerOptions): string {
  const problems: string[] = [];
  if (!options || typeof options.webhookUrl !== 'string' || !/^https?:\/\/\S+$/.test(options.webhookUrl)) {
    problems.push(`alertmanager.webhookUrl: must be the http(s) URL of Parapet's Alertmanager webhook, e.g. "https://app.example.com/parapet/alertmanager"; got ${JSON.stringify(options?.webhookUrl)}.`);
  }
  const tokenFile = options?.bearerTokenFile;
  if (tokenFile === undefined || (tokenFile !== false && (typeof tokenFile !== 'string' || tokenFile === ''))) {
    problems.push(
      'alertmanager.bearerTokenFile: required: the path, on the Alertmanager host, of a file holding the bearer token ' +
        "Parapet's webhook expects (the same secret your app is configured with), e.g. \"/etc/alertmanager/secrets/parapet-webhook-token\". " +
        'Create that file yourself (a Kubernetes secret mount, your config management); Alertmanager reads it on every notification. ' +
        `Use false only if the webhook is mounted as public. Got ${JSON.stringify(tokenFile)}.`,
    );
  }
  for (const key of ['pageReceiver', 'ticketReceiver'] as const) {
    if (options?.[key] && 'name' in options[key]) problems.push(`alertmanager.${key}: leave out "name"; Parapet names the receivers ${PAGE_RECEIVER} and ${TICKET_RECEIVER}.`);
  }
  if (problems.length > 0) throw new SloSpecError(problems);
  const webhook = {
    url: options.webhookUrl,
    send_resolved: true,
    ...(tokenFile === false ? {} : { http_config: { authorization: { type: 'Bearer', credentials_file: tokenFile } } }),
  };
  const config = {
    route: {
      receiver: WEBHOOK_RECEIVER,
      group_by: [ALERTNAME_LABEL, SLO_LABEL, SEVERITY_LABEL],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: [
        // Loop health: the always-firing watchdog goes to Parapet's webhook only, often enough
        // for its heartbeat check, and stops here (no page, no ticket).
        { receiver: WEBHOOK_RECEIVER, matchers: [`${ALERTNAME_LABEL}="${WATCHDOG_ALERTNAME}"`], ...WATCHDOG_ROUTE_TIMING, continue: false },
        // Evidence first: Parapet records every SLO alert, then routing continues by severity.
        { receiver: WEBHOOK_RECEIVER, matchers: [`${SLO_LABEL}=~".+"`], continue: true },
        { receiver: PAGE_RECEIVER, matchers: [`${SEVERITY_LABEL}="${PAGE_SEVERITY}"`], repeat_interval: '1h' },
        { receiver: TICKET_RECEIVER, matchers: [`${SEVERITY_LABEL}="${TICKET_SEVERITY}"`], repeat_interval: '12h' },
      ],
    },
    inhibit_rules: [{
      source_matchers: [`${SEVERITY_LABEL}="${PAGE_SEVERITY}"`],
      target_matchers: [`${SEVERITY_LABEL}="${TICKET_SEVERITY}"`],
      equal: inhibitEqualLabels(slices),
    }],
    receivers: [
      { name: WEBHOOK_RECEIVER, webhook_configs: [webhook] },
      { name: PAGE_RECEIVER, ...(options.pageReceiver ?? {}) },
      { name: TICKET_RECEIVER, ...(options.ticketReceiver ?? {}) },
    ],
  };
  return generatedHeader('parapet gen alertmanager') + receiverComment(options) + toYaml(config);
}
