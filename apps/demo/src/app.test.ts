import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoApp, type DemoApp } from './app.js';

let demo: DemoApp | undefined;
afterEach(async () => demo?.close());

async function start(options?: Parameters<typeof createDemoApp>[0]) {
  demo = createDemoApp(options);
  const server = await demo.listen(0);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('demo app', () => {
  it('serves bounded HTTP and journey metrics', async () => {
    const base = await start();
    await fetch(`${base}/orgs/acme/users/42`);
    await fetch(`${base}/orgs/globex/users/43`);
    for (let i = 0; i < 50; i++) await fetch(`${base}/scan-${i}/.env`);
    await fetch(`${base}/boom`);
    await fetch(`${base}/login`, { method: 'POST', headers: { 'x-password': 'nope' } });
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('parapet_http_server_requests_total{route="/orgs/:org/users/:id",method="GET",status_class="2xx",status_code="200"} 2');
    expect(text).toContain('parapet_http_server_requests_total{route="/orgs/:org/users/:id",method="GET",status_class="5xx",status_code="500"} 0');
    expect(text).toContain('parapet_http_server_requests_total{route="_unmatched",method="GET",status_class="4xx",status_code="404"} 50');
    expect(text).toContain('parapet_http_server_requests_total{route="/boom",method="GET",status_class="5xx",status_code="500"} 1');
    expect(text).not.toMatch(/scan-|acme|globex/);
    expect(text).toContain('parapet_journey_steps_total{journey="login",step="login",outcome="failure"} 1');
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).not.toContain('route="/metrics"');
  });

  it('protects /metrics with a token when one is configured', async () => {
    const base = await start({ metricsToken: 'demo-secret' });
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer demo-secret' } })).status).toBe(200);
  });
});
