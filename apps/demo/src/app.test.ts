import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoApp, DEMO_USER, type DemoApp, type DemoSettings } from './app.js';

let demo: DemoApp | undefined;
afterEach(async () => demo?.close());

const settings: DemoSettings = {
  metricsTokens: ['metrics-token-0123456789'], webhookTokens: ['webhook-token-0123456789'], deployTokens: ['deploy-token-01234567890'], operators: [{ actor: 'alice', token: 'alice-token-0123456789' }],
  trafficRate: 0, log: () => {},
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
});
