import { describe, expect, it } from 'vitest';
import { backoffMs, classify, parseRetryAfter, slackNotifier, slackSafe, teamsNotifier, TEAMS_MAX_BYTES, webhookNotifier, type NotificationMessage } from './notifiers.js';

const message = (over: Partial<NotificationMessage> = {}): NotificationMessage => ({
  incidentId: '42',
  kind: 'opened',
  title: 'CheckoutAvailabilityBudgetBurnPage on checkout (incident 42)',
  state: 'open',
  severity: 'page',
  slo: 'checkout_availability',
  service: 'checkout',
  alertname: 'CheckoutAvailabilityBudgetBurnPage',
  text: 'checkout 5xx ratio 7.2% > 5% for 10m',
  url: 'https://ops.example.com/parapet/incidents/42',
  at: '2026-08-20T09:00:00.000Z',
  ...over,
});
const meta = { id: 'msg_1', timestamp: 1_787_216_400 };

describe('slack', () => {
  it('renders Block Kit inside Slack limits with a text fallback and a link to the workbench', () => {
    const huge = 'x'.repeat(10_000);
    const body = JSON.parse(slackNotifier({ name: 's', url: 'https://hooks.slack.com/services/T/B/X' }).render(message({ text: huge, alertname: 'A'.repeat(400) }), meta).body);
    expect(body.text).toMatch(/^\[FIRING\] /);
    expect(body.blocks.length).toBeLessThanOrEqual(50);
    const header = body.blocks.find((b: any) => b.type === 'header');
    expect(Array.from(header.text.text as string).length).toBeLessThanOrEqual(150);
    for (const b of body.blocks.filter((b: any) => b.type === 'section')) {
      if (b.text) expect(Array.from(b.text.text as string).length).toBeLessThanOrEqual(3000);
      if (b.fields) {
        expect(b.fields.length).toBeLessThanOrEqual(10);
        for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(2000);
      }
    }
    const button = body.blocks.find((b: any) => b.type === 'actions').elements[0];
    expect(button.url).toBe('https://ops.example.com/parapet/incidents/42');
    expect(button.text.text.length).toBeLessThanOrEqual(75);
  });

  it('alert text cannot mention, link or smuggle control characters', () => {
    expect(slackSafe('<!channel> <@U123> <https://evil|click> a&b\u202e\u0007')).toBe('&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil|click&gt; a&amp;b');
    const body = slackNotifier({ name: 's', url: 'https://hooks.slack.com/x' }).render(message({ text: '<!here> pwned' }), meta).body;
    expect(body).not.toContain('<!here>');
  });
});

describe('teams', () => {
  it('posts an Adaptive Card in the Workflows envelope, size-guarded, with Action.OpenUrl', () => {
    const r = teamsNotifier({ name: 't', url: 'https://prod-00.westeurope.logic.azure.com/workflows/x' }).render(message({ text: 'y'.repeat(100_000) }), meta);
    expect(Buffer.byteLength(r.body)).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
    const body = JSON.parse(r.body);
    expect(body.type).toBe('message');
    const card = body.attachments[0].content;
    expect([body.attachments[0].contentType, card.type, card.version]).toEqual(['application/vnd.microsoft.card.adaptive', 'AdaptiveCard', '1.4']);
    expect(card.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open in Parapet', url: 'https://ops.example.com/parapet/incidents/42' }]);
    const raw = JSON.parse(teamsNotifier({ name: 't', url: 'https://x.powerplatform.com/a', envelope: 'raw' }).render(message(), meta).body);
    expect(raw.type).toBe('AdaptiveCard');
  });

  it('refuses retired Office 365 connector URLs', () => {
    expect(() => teamsNotifier({ name: 't', url: 'https://contoso.webhook.office.com/webhookb2/x' })).toThrow(/retired Office 365 connector/);
  });
});

describe('webhook', () => {
  it('refuses a missing secret at configuration time', () => {
    expect(() => webhookNotifier({ name: 'w', url: 'https://x.example.com', secret: '' })).toThrow(/secret is required/);
  });
});

describe('retry policy', () => {
  const h = (v?: string) => new Headers(v === undefined ? {} : { 'retry-after': v });
  it('classifies: 2xx delivered, 408/429/5xx retried, other 4xx permanent', () => {
    expect(classify(202, h(), '', 0).kind).toBe('delivered');
    expect(classify(429, h('7'), '', 0)).toEqual({ kind: 'retry', status: 429, error: 'HTTP 429', retryAfterMs: 7000 });
    expect(classify(503, h(), 'down', 0)).toEqual({ kind: 'retry', status: 503, error: 'HTTP 503: down' });
    expect(classify(408, h(), '', 0).kind).toBe('retry');
    expect(classify(410, h(), 'channel_is_archived', 0).kind).toBe('permanent');
  });
  it('reads Retry-After as seconds or an HTTP-date', () => {
    const now = Date.parse('2026-08-20T09:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 20 Aug 2026 09:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
  it('backs off with full jitter under a growing, capped ceiling', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      for (let i = 0; i < 50; i++) {
        const ms = backoffMs(attempt, 1000, 60_000);
        expect(ms).toBeGreaterThanOrEqual(0);
        expect(ms).toBeLessThanOrEqual(Math.min(60_000, 1000 * 2 ** (attempt - 1)));
      }
    }
  });
});
