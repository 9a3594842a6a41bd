import { Registry } from 'prom-client';
import { find, parseExposition } from '@parapet/vitest-preset/exposition';
import { describe, expect, it } from 'vitest';
import { generatePrometheusRules, watchdogGroup, WATCHDOG_ALERTNAME, WATCHDOG_ROUTE_TIMING, WEBHOOK_RECEIVER } from '@parapet/core/slo';
import { createAlertmanagerWebhook, createEvidenceMetrics, createEvidenceStore, watchdogAlertRule, watchdogRoute } from './index.js';

describe('ingest metrics', () => {
  it('counts deliveries by outcome, observes latency and reports incidents by state', async () => {
    await using store = await createEvidenceStore();
    const registry = new Registry();
    const metrics = await createEvidenceMetrics({ registry, store });
    const webhook = createAlertmanagerWebhook({ store, tokens: ['metrics-token-0123456789'], onDelivery: metrics.onDelivery });
    const post = (body: string, token = 'metrics-token-0123456789') =>
      webhook(new Request('http://app/alertmanager', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body }));
    const good = JSON.stringify({ version: '4', groupKey: 'g', status: 'firing', receiver: 'r', alerts: [{ status: 'firing', labels: { alertname: 'A' }, annotations: {}, startsAt: '2026-08-20T09:00:00Z', endsAt: '0001-01-01T00:00:00Z', fingerprint: 'm1' }] });
    expect((await post(good)).status).toBe(200);
    expect((await post('{"version":"4"}')).status).toBe(400);
    expect((await post(good, 'wrong-token-0123456789')).status).toBe(401);
    const samples = parseExposition(await registry.metrics());
    expect(find(samples, 'parapet_evidence_deliveries_total', { outcome: 'ok' })[0]!.value).toBe(1);
    expect(find(samples, 'parapet_evidence_deliveries_total', { outcome: 'invalid' })[0]!.value).toBe(1);
    expect(find(samples, 'parapet_evidence_deliveries_total', { outcome: 'unauthorized' })[0]!.value).toBe(1);
    expect(find(samples, 'parapet_evidence_ingest_duration_seconds_count')[0]!.value).toBe(3);
    expect(find(samples, 'parapet_evidence_incidents', { state: 'open' })[0]!.value).toBe(1);
  });

  it('the watchdog rule always fires', () => {
    expect(watchdogAlertRule()).toMatchObject({ alert: 'ParapetWatchdog', expr: 'vector(1)' });
  });

  it('the watchdog helpers give exactly what core\'s generator emits (one source: @parapet/core/slo)', () => {
    expect(watchdogAlertRule()).toEqual(watchdogGroup().rules[0]);
    expect(generatePrometheusRules([]).alerting.at(-1)!.rules[0]).toEqual(watchdogAlertRule());
    expect(watchdogRoute()).toEqual({ receiver: WEBHOOK_RECEIVER, matchers: [`alertname="${WATCHDOG_ALERTNAME}"`], ...WATCHDOG_ROUTE_TIMING, continue: false });
    expect(watchdogRoute({ receiver: 'mine', repeatInterval: '2m' })).toMatchObject({ receiver: 'mine', repeat_interval: '2m' });
  });
});
