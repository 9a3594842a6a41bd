import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ALERTNAME_LABEL, SEVERITY_LABEL, SLO_LABEL, WEBHOOK_RECEIVER, alertName } from '@parapet/core/slo';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeWorkbenchBundle } from '../test/fake-bundle.js';
import { createDemoApp, DEMO_USER, type DemoApp, type DemoSettings } from './app.js';

let demo: DemoApp | undefined;
afterEach(async () => demo?.close());

const settings: DemoSettings = {
  metricsTokens: ['metrics-token-0123456789'], webhookTokens: ['webhook-token-0123456789'], deployTokens: ['deploy-token-01234567890'], operators: [{ actor: 'alice', token: 'alice-token-0123456789' }],
  trafficRate: 0, log: () => {}, workbenchDir: fakeWorkbenchBundle(),
};

async function start(overrides: Partial<DemoSettings> = {}) {
  demo = await createDemoApp({ ...settings, ...overrides });
  const server = await demo.listen(0);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('demo app', () => {
  it('serves bounded signals for login, checkout, the job and the email; /metrics needs its token', async () => {
    const base = await start();
    expect((await post(`${base}/login`, DEMO_USER)).status).toBe(200);
    expect((await post(`${base}/login`, { ...DEMO_USER, password: 'nope' })).status).toBe(401);
    expect((await post(`${base}/checkout`, {})).status).toBe(201);
    for (let i = 0; i < 20; i++) await fetch(`${base}/scan-${i}/.env`);
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    let text = '';
    const deadline = Date.now() + 10_000;
    while (!text.includes('parapet_delivery_outbound_total{') && Date.now() < deadline) {
      text = await (await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789' } })).text();
    }
    expect(text).toContain('parapet_journey_steps_total{journey="login",step="login",outcome="success"} 1');
    expect(text).toContain('parapet_journey_steps_total{journey="login",step="login",outcome="failure"} 0');
    expect(text).toContain('parapet_journey_steps_total{journey="checkout",step="checkout",outcome="success"} 1');
    expect(text).toMatch(/parapet_job_runs_total\{queue="emails",job="send-receipt",outcome="completed",attempt="1"\} 1/);
    expect(text).toMatch(/parapet_delivery_outbound_total\{[^}]*channel="email"[^}]*outcome="provider_accepted"[^}]*\} 1/);
    expect(text).toContain('parapet_http_server_requests_total{route="_unmatched",method="GET",status_class="4xx",status_code="404"} 20');
    expect(text).not.toMatch(/scan-/);
  });

  it('the failure switch fails the given share of logins, deterministically', async () => {
    const base = await start({ fail: true, failRatio: 0.25 });
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await post(`${base}/login`, DEMO_USER)).status);
    expect(statuses.filter((s) => s === 503)).toHaveLength(2);
    expect(await (await post(`${base}/demo/failures`, { on: false })).json()).toEqual({ on: false, ratio: 0.25 });
    expect((await post(`${base}/login`, DEMO_USER)).status).toBe(200);
    expect(await (await fetch(`${base}/`)).text()).toContain('Inject failures into login');
  });

  it('mounts the webhook and the operator API under /parapet, with seeded incidents and audited actions', async () => {
    const base = await start();
    expect((await fetch(`${base}/parapet/api/incidents`)).status).toBe(401);
    const list = (await (await fetch(`${base}/parapet/api/incidents?state=all`, { headers: { authorization: 'Bearer alice-token-0123456789' } })).json()) as { items: { id: string; state: string }[] };
    expect(list.items.map((i) => i.state).sort()).toEqual(['open', 'resolved']);
    const open = list.items.find((i) => i.state === 'open')!;
    const acked = await post(`${base}/parapet/api/incidents/${open.id}/acknowledge`, { rationale: 'looking' }, { authorization: 'Bearer alice-token-0123456789', origin: base });
    expect(acked.status).toBe(200);
    const detail = (await (await fetch(`${base}/parapet/api/incidents/${open.id}`, { headers: { authorization: 'Bearer alice-token-0123456789' } })).json()) as { audits: { actor: { name: string }; action: string }[] };
    expect(detail.audits.map((a) => [a.action, a.actor.name])).toContainEqual(['acknowledge', 'alice']);
    expect((await post(`${base}/parapet/alertmanager`, {})).status).toBe(401);
    expect((await post(`${base}/parapet/api/deploys`, { version: 'v2', service: 'demo' }, { authorization: 'Bearer deploy-token-01234567890' })).status).toBe(201);
  });

  it('workbench behind operator sign-in, MCP behind Bearer, the login runbook previews and confirms, notifications reach the webhook', async () => {
    const received: string[] = [];
    const receiver = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => void (received.push(raw), res.writeHead(200).end('ok')));
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const base = await start({ fail: true, seed: false, notifyWebhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` });
      const alice = { authorization: 'Bearer alice-token-0123456789' };
      // An incident for the login slice, as Alertmanager delivers it.
      const slo = 'web_saas_login_journey';
      const labels = { [ALERTNAME_LABEL]: alertName({ name: slo }, 'page'), [SLO_LABEL]: slo, [SEVERITY_LABEL]: 'page' };
      const payload = { version: '4', groupKey: `{}:{slo="${slo}"}`, status: 'firing', receiver: WEBHOOK_RECEIVER, groupLabels: { [SLO_LABEL]: slo }, commonLabels: labels, commonAnnotations: {}, externalURL: 'http://am', alerts: [{ status: 'firing', labels, annotations: { summary: 'login failing' }, startsAt: new Date().toISOString(), fingerprint: 'login-1' }] };
      expect((await post(`${base}/parapet/alertmanager`, payload, { authorization: 'Bearer webhook-token-0123456789' })).status).toBeLessThan(300);
      const [incident] = ((await (await fetch(`${base}/parapet/api/incidents`, { headers: alice })).json()) as { items: { id: string }[] }).items;

      // Workbench: a browser is sent to sign in; a cross-site sign-in is refused; the cookie opens it.
      const page = `${base}/parapet/incidents/${incident!.id}`;
      const anonymous = await fetch(page, { headers: { accept: 'text/html' }, redirect: 'manual' });
      expect([anonymous.status, anonymous.headers.get('location')]).toEqual([303, `/demo/login?next=${encodeURIComponent(`/parapet/incidents/${incident!.id}`)}`]);
      expect((await fetch(page, { headers: { accept: 'application/json' } })).status).toBe(401);
      const form = (token: string, origin: string) => fetch(`${base}/demo/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin }, body: new URLSearchParams({ token, next: 'https://evil.example/' }) });
      expect((await form('alice-token-0123456789', 'https://evil.example')).status).toBe(403);
      expect((await form('not-a-token', base)).status).toBe(401);
      const signedIn = await form('alice-token-0123456789', base);
      expect([signedIn.status, signedIn.headers.get('location')]).toEqual([303, '/parapet/']);
      const cookie = signedIn.headers.get('set-cookie')!;
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      const shell = await fetch(page, { headers: { cookie: cookie.split(';')[0]! } });
      expect(shell.status).toBe(200);
      expect(await shell.text()).toContain('id="parapet-workbench-config"');
      // The cookie does not lift the API's CSRF rule.
      expect((await post(`${base}/parapet/api/incidents/${incident!.id}/note`, { rationale: 'x', note: 'x' }, { cookie: cookie.split(';')[0]!, origin: 'https://evil.example' })).status).toBe(403);
      // MCP: Bearer only.
      expect((await post(`${base}/parapet/mcp`, {}, { cookie: cookie.split(';')[0]! })).status).toBe(401);

      // The runbook: preview, then confirm, turns the failure switch off.
      const runbooks = (await (await fetch(`${base}/parapet/api/incidents/${incident!.id}/runbooks`, { headers: alice })).json()) as { runbooks: { runbook?: { id: string }; id?: string }[] };
      expect(JSON.stringify(runbooks)).toContain('login-failing');
      const preview = await post(`${base}/parapet/api/incidents/${incident!.id}/runbooks/login-failing/steps/switch-off/preview`, {}, { ...alice, origin: base });
      expect(preview.status).toBe(201);
      const { preview: { id: previewId, effect } } = (await preview.json()) as { preview: { id: string; effect: { summary: string } } };
      expect(effect.summary).toMatch(/turn the login failure switch off/);
      expect(demo!.failures.on).toBe(true);
      const confirmed = await post(`${base}/parapet/api/incidents/${incident!.id}/previews/${previewId}/confirm`, { rationale: 'stop the injected failures' }, { ...alice, origin: base });
      expect(confirmed.status).toBe(200);
      expect(((await confirmed.json()) as { execution: { status: string } }).execution.status).toBe('succeeded');
      expect(demo!.failures.on).toBe(false);

      // One opening notification, delivered, with its outcome on the timeline.
      const deadline = Date.now() + 30_000;
      const timeline = async () => ((await (await fetch(`${base}/parapet/api/incidents/${incident!.id}`, { headers: alice })).json()) as { timeline: { type: string; summary: string }[] }).timeline;
      while (!(await timeline()).some((e) => e.type === 'notification') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect((await timeline()).filter((e) => e.type === 'notification').map((e) => e.summary)).toEqual(['Notified demo-notify (opened) — HTTP 200.']);
      expect(received.filter((r) => r.includes('[FIRING]'))).toHaveLength(1);
    } finally {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
