import { randomInt } from 'node:crypto';
import { ParapetError } from '@parapet/core/integration';
import { signStandardWebhook } from '@parapet/mailer';

/** What happened, in neutral form; each notifier renders it for its destination. */
export interface NotificationMessage {
  incidentId: string;
  /** The transition: `opened`, `acknowledged`, `resolved`, `reopened`, `escalation`, `breaker_tripped`. */
  kind: string;
  /** One line: `[FIRING] page CheckoutAvailabilityBudgetBurnPage (incident 42)`. */
  title: string;
  state: string;
  severity: string | null;
  slo: string | null;
  service: string | null;
  alertname: string;
  /** Free text (the alert summary, who acknowledged). */
  text: string;
  /** The workbench incident page. */
  url: string;
  /** Escalation tier (1-based) for escalations. */
  tier?: number;
  at: string;
}

export interface RenderedRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A notification channel. Create with `slackNotifier`, `teamsNotifier` or `webhookNotifier`. */
export interface Notifier {
  /** The channel name policies refer to (`slack-oncall`). */
  readonly name: string;
  readonly kind: 'slack' | 'teams' | 'webhook';
  /** `id` is stable across retries of one notification (`webhook-id`). */
  render(message: NotificationMessage, meta: { id: string; timestamp: number }): RenderedRequest;
}

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B-\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Truncates to `max` characters (by code point), marking the cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * Text safe to post to Slack: control and bidi characters removed, and `&`, `<`, `>` escaped so
 * alert text can never form a mention (`<!channel>`, `<@U123>`) or a disguised link.
 */
export function slackSafe(text: string): string {
  return text.replace(CONTROL, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text safe for an Adaptive Card TextBlock: control characters removed, markdown link/emphasis syntax escaped. */
export function teamsSafe(text: string): string {
  return text.replace(CONTROL, '').replace(/([\\`*_[\]()#>~|])/g, '\\$1').replace(/</g, '&lt;');
}

function httpsUrl(url: string, where: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ParapetError('INVALID_OPTIONS', `${where}: url is not a URL.`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new ParapetError('INVALID_OPTIONS', `${where}: url must be http(s); got ${parsed.protocol}.`);
  return url;
}

const STATUS_WORD: Record<string, string> = { opened: 'FIRING', reopened: 'REOPENED', acknowledged: 'ACKNOWLEDGED', resolved: 'RESOLVED', escalation: 'ESCALATED', breaker_tripped: 'AUTOMATION STOPPED' };

/**
 * Slack incoming webhook with Block Kit, inside Slack's limits (header 150, section text 3000,
 * fields ≤ 10 × 2000, button text 75 / url 3000, ≤ 50 blocks) and a top-level `text` fallback.
 * Incoming webhooks cannot update a message: each transition is one message. Treat the URL as a secret.
 */
export function slackNotifier(options: { name: string; url: string }): Notifier {
  httpsUrl(options.url, `slackNotifier(${options.name})`);
  return {
    name: options.name,
    kind: 'slack',
    render(m) {
      const word = STATUS_WORD[m.kind] ?? m.kind.toUpperCase();
      const fallback = truncate(slackSafe(`[${word}] ${m.title}`), 3000);
      const fields = [
        ['Status', m.state],
        ['Severity', m.severity ?? '—'],
        ['SLO', m.slo ?? '—'],
        ['Service', m.service ?? '—'],
        ...(m.tier !== undefined ? [['Escalation', `tier ${m.tier}`]] : []),
      ].slice(0, 10);
      const blocks = [
        { type: 'header', text: { type: 'plain_text', text: truncate(`${word} · ${m.alertname}`.replace(CONTROL, ''), 150), emoji: false } },
        { type: 'section', fields: fields.map(([k, v]) => ({ type: 'mrkdwn', text: truncate(`*${k}:*\n${slackSafe(v!)}`, 2000) })) },
        ...(m.text ? [{ type: 'section', text: { type: 'mrkdwn', text: truncate(slackSafe(m.text), 3000) } }] : []),
        { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(`incident ${slackSafe(m.incidentId)} · ${slackSafe(m.at)}`, 2000) }] },
        { type: 'actions', block_id: truncate(`parapet-${m.incidentId}`, 255), elements: [{ type: 'button', action_id: 'open_incident', text: { type: 'plain_text', text: 'Open in Parapet' }, url: truncate(m.url, 3000) }] },
      ];
      return { url: options.url, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: fallback, blocks: blocks.slice(0, 50) }) };
    },
  };
}

/** Teams payloads above this are refused by Teams (≈ 28 KB); the text is cut to fit. */
export const TEAMS_MAX_BYTES = 20_000;

/**
 * Microsoft Teams through a Workflows (Power Automate) webhook — "When a Teams webhook request is
 * received" — posting an Adaptive Card 1.4 with an `Action.OpenUrl` back to the workbench.
 * Office 365 connector URLs (`webhook.office.com`, `outlook.office.com`) are retired and refused.
 * `envelope: 'raw'` posts the bare card for flows built to expect it. A 202 means "accepted", not
 * "posted": flows can still fail on Microsoft's side.
 */
export function teamsNotifier(options: { name: string; url: string; envelope?: 'attachments' | 'raw' }): Notifier {
  const host = new URL(httpsUrl(options.url, `teamsNotifier(${options.name})`)).hostname;
  if (/(^|\.)webhook\.office\.com$|(^|\.)outlook\.office\.com$/.test(host)) {
    throw new ParapetError('INVALID_OPTIONS', `teamsNotifier(${options.name}): ${host} is a retired Office 365 connector URL. Create a Teams Workflow ("When a Teams webhook request is received") and use its URL.`);
  }
  return {
    name: options.name,
    kind: 'teams',
    render(m) {
      const word = STATUS_WORD[m.kind] ?? m.kind.toUpperCase();
      const color = m.kind === 'resolved' ? 'Good' : m.kind === 'acknowledged' ? 'Warning' : 'Attention';
      const card = (text: string) => ({
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        type: 'AdaptiveCard',
        version: '1.4',
        msteams: { width: 'full' },
        body: [
          { type: 'TextBlock', text: teamsSafe(truncate(`${word} · ${m.title}`, 300)), weight: 'Bolder', size: 'Medium', style: 'heading', color, wrap: true },
          {
            type: 'FactSet',
            facts: [
              { title: 'Status', value: teamsSafe(m.state) },
              { title: 'Severity', value: teamsSafe(m.severity ?? '—') },
              { title: 'SLO', value: teamsSafe(m.slo ?? '—') },
              { title: 'Service', value: teamsSafe(m.service ?? '—') },
              ...(m.tier !== undefined ? [{ title: 'Escalation', value: `tier ${m.tier}` }] : []),
            ],
          },
          ...(text ? [{ type: 'TextBlock', text, wrap: true }] : []),
        ],
        actions: [{ type: 'Action.OpenUrl', title: 'Open in Parapet', url: m.url }],
      });
      const wrap = (c: object) => (options.envelope === 'raw' ? c : { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: c }] });
      let text = teamsSafe(truncate(m.text, 4000));
      let body = JSON.stringify(wrap(card(text)));
      while (Buffer.byteLength(body) > TEAMS_MAX_BYTES && text.length > 0) {
        text = truncate(text, Math.floor(text.length / 2));
        body = JSON.stringify(wrap(card(text)));
      }
      return { url: options.url, headers: { 'content-type': 'application/json' }, body };
    },
  };
}

/**
 * A generic webhook signed per Standard Webhooks: `webhook-id` (stable across retries — receivers
 * dedupe on it), `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256(id.timestamp.body)>`
 * with a `whsec_…` secret. Any Standard Webhooks library verifies it.
 */
export function webhookNotifier(options: { name: string; url: string; secret: string }): Notifier {
  httpsUrl(options.url, `webhookNotifier(${options.name})`);
  if (!options.secret) throw new ParapetError('INVALID_OPTIONS', `webhookNotifier(${options.name}): secret is required ("whsec_<base64>").`);
  // Fail at configuration time on a bad secret rather than at the first incident.
  signStandardWebhook({ id: 'check', timestamp: 0, body: '', secret: options.secret });
  return {
    name: options.name,
    kind: 'webhook',
    render(m, meta) {
      const body = JSON.stringify({ type: `incident.${m.kind}`, timestamp: m.at, data: m });
      return {
        url: options.url,
        headers: {
          'content-type': 'application/json',
          'webhook-id': meta.id,
          'webhook-timestamp': String(meta.timestamp),
          'webhook-signature': signStandardWebhook({ id: meta.id, timestamp: meta.timestamp, body, secret: options.secret }),
        },
        body,
      };
    },
  };
}

/** What to do after an attempt. */
export type AttemptOutcome = { kind: 'delivered'; status: number } | { kind: 'retry'; status: number | null; error: string; retryAfterMs?: number } | { kind: 'permanent'; status: number; error: string };

/** Classifies a response: 2xx delivered; 408/429/5xx retry (honouring Retry-After); other 4xx permanent. */
export function classify(status: number, headers: Headers, bodyText: string, now: number): AttemptOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  const error = `HTTP ${status}${bodyText ? `: ${truncate(bodyText.replace(CONTROL, ''), 200)}` : ''}`;
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(headers.get('retry-after'), now);
    return { kind: 'retry', status, error, ...(retryAfterMs !== undefined && { retryAfterMs }) };
  }
  return { kind: 'permanent', status, error };
}

/** `Retry-After` as delay-seconds or an HTTP-date (RFC 9110), in ms; undefined when absent or unparsable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential backoff with full jitter: random in [0, min(cap, base·2^(attempt-1))]. */
export function backoffMs(attempt: number, baseMs: number, capMs: number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return randomInt(0, Math.max(1, Math.floor(ceiling)) + 1);
}
