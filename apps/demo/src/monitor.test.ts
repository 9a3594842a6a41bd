import type { AddressInfo } from 'node:net';
import { defineConfig } from '@parapet/core';
import { SLO_LABEL, SEVERITY_LABEL, shortWindows } from '@parapet/core/slo';
import { deliverySaas } from '@parapet/starter-pack-delivery-saas';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeWorkbenchBundle } from '../test/fake-bundle.js';
import { createDemoApp, DEMO_USER, type DemoApp } from './app.js';

let demo: DemoApp | undefined;
afterEach(async () => demo?.close());

describe('the in-process monitor in the demo', () => {
  it('turns injected login failures into a page incident with no Prometheus at all', async () => {
    // The monitor's clock is driven by the test: one evaluation per simulated minute.
    let clock = Date.UTC(2026, 10, 30, 12, 0, 0);
    demo = await createDemoApp({
      metricsTokens: ['metrics-token-0123456789'], webhookTokens: ['webhook-token-0123456789'], deployTokens: ['deploy-token-01234567890'],
      operators: [{ actor: 'alice', token: 'alice-token-0123456789' }],
      trafficRate: 0, seed: false, log: () => {}, workbenchDir: fakeWorkbenchBundle(),
      fail: true, failRatio: 0.5, now: () => clock,
      // The demo's own slices with the short-window profile (the demo's `PARAPET_WINDOWS=short`).
      sloConfig: defineConfig({ providers: [deliverySaas({ exclude: ['delivery_saas_email_delivery', 'delivery_saas_callback_freshness'] })], windows: shortWindows }),
    });
    const base = `http://127.0.0.1:${((await demo.listen(0)).address() as AddressInfo).port}`;
    await demo.monitor!.ready;

    const pageFor = async () => {
      const { items } = await demo!.evidence.store.listIncidents({ state: 'active', limit: 50 });
      return items.find((i) => i.slo === 'web_saas_login_journey' && i.severity === 'page');
    };
    let incident = await pageFor();
    for (let minute = 0; minute < 40 && !incident; minute++) {
      for (let i = 0; i < 20; i++) await fetch(`${base}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO_USER) });
      clock += 60_000;
      await demo.monitor!.evaluate();
      incident = await pageFor();
    }
    expect(incident, 'a page incident for the login journey').toBeDefined();
    expect(incident!.labels).toMatchObject({ [SLO_LABEL]: 'web_saas_login_journey', [SEVERITY_LABEL]: 'page' });
    const detail = await demo.evidence.store.getIncident({ id: incident!.id });
    expect(detail!.timeline.filter((e) => e.type === 'alert_fired')).toHaveLength(1);
  }, 120_000);
});
