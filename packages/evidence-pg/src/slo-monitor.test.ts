import { defineConfig, defineProvider } from '@parapet/core';
import { alertFingerprint, startSloMonitor, type MetricSample, type SloAlert, type SloMonitor } from '@parapet/core/slo';
import { describe, expect, it } from 'vitest';
import { createEvidenceStore, createSloAlertIngest } from './index.js';

const config = defineConfig({
  providers: [
    defineProvider('app', [{
      name: 'checkout_requests', description: 'Checkout requests', objective: 99.9, alert: 'page', runbookUrl: 'https://runbooks.example.com/checkout',
      sli: {
        kind: 'event-ratio',
        total: { metric: 'parapet_http_server_requests_total' },
        bad: { metric: 'parapet_http_server_requests_total', matchers: { status_class: '5xx' } },
      },
    }]),
  ],
});

/** An app process: its own counters, a shared clock. */
function app(clock: { ms: number }) {
  const counters = { ok: 0, failed: 0 };
  const read = (): MetricSample[] => [
    { name: 'parapet_http_server_requests_total', labels: { status_class: '2xx' }, value: counters.ok },
    { name: 'parapet_http_server_requests_total', labels: { status_class: '5xx' }, value: counters.failed },
  ];
  return { counters, read, now: () => clock.ms };
}

async function minutes(clock: { ms: number }, n: number, step: () => void, monitors: SloMonitor[]) {
  for (let i = 0; i < n; i++) {
    clock.ms += 60_000;
    step();
    for (const m of monitors) await m.evaluate();
  }
}

async function incidentsWith(store: Awaited<ReturnType<typeof createEvidenceStore>>, fingerprint: string): Promise<string[]> {
  const rows = await store.db.selectFrom('parapet_incident_alert').select('incident_id').where('fingerprint', '=', fingerprint).execute();
  return [...new Set(rows.map((r) => r.incident_id))];
}

describe('createSloAlertIngest: the in-process monitor delivers into the evidence store like Alertmanager', () => {
  it('a fast burn opens one incident with the Alertmanager fingerprint; recovery resolves it', async () => {
    await using store = await createEvidenceStore();
    const clock = { ms: Date.parse('2026-11-30T10:00:00Z') };
    const a = app(clock);
    const delivered: SloAlert[] = [];
    await using monitor = startSloMonitor({ config, read: a.read, now: a.now, evidence: createSloAlertIngest({ store }), onAlerts: (b) => void delivered.push(...b), tickMs: 3_600_000 });
    await minutes(clock, 30, () => { a.counters.ok += 1000; }, [monitor]);
    expect(delivered).toEqual([]);
    await minutes(clock, 15, () => { a.counters.ok += 950; a.counters.failed += 50; }, [monitor]);
    const page = delivered.find((d) => d.labels.alertname === 'CheckoutRequestsBudgetBurnPage')!;
    expect(page.labels).toEqual({ alertname: 'CheckoutRequestsBudgetBurnPage', severity: 'page', slo: 'checkout_requests' });
    expect(page.fingerprint).toBe(alertFingerprint(page.labels));
    // One incident per alert fingerprint (correlateBy: fingerprint, as for Alertmanager deliveries).
    const open = await store.listIncidents({ state: 'active' });
    expect(open.items).toHaveLength(new Set(delivered.map((d) => d.fingerprint)).size);
    const withPage = await incidentsWith(store, page.fingerprint);
    expect(withPage).toHaveLength(1);
    // Recovery: after the debounce, the page resolves in the store too.
    await minutes(clock, 90, () => { a.counters.ok += 1000; }, [monitor]);
    expect(delivered.filter((d) => d.status === 'resolved').map((d) => d.labels.alertname)).toContain('CheckoutRequestsBudgetBurnPage');
    const after = (await store.getIncident({ id: withPage[0]! }))!;
    expect(after.incident.alerts.find((x) => x.fingerprint === page.fingerprint)!.status).toBe('resolved');
  });

  it('a restarted monitor re-seeds from the store: no second page while the burn continues', async () => {
    await using store = await createEvidenceStore();
    const clock = { ms: Date.parse('2026-11-30T10:00:00Z') };
    const a = app(clock);
    const first = startSloMonitor({ config, read: a.read, now: a.now, evidence: createSloAlertIngest({ store }), tickMs: 3_600_000 });
    await minutes(clock, 20, () => { a.counters.ok += 900; a.counters.failed += 100; }, [first]);
    expect(first.firing().map((f) => f.labels.alertname)).toContain('CheckoutRequestsBudgetBurnPage');
    await first.close();
    const before = (await store.listIncidents({ state: 'all' })).items.length;
    // The process restarts: counters start again from zero, the monitor has no window history.
    const b = app(clock);
    const redelivered: SloAlert[] = [];
    await using second = startSloMonitor({ config, read: b.read, now: b.now, evidence: createSloAlertIngest({ store }), onAlerts: (x) => void redelivered.push(...x), tickMs: 3_600_000 });
    await second.ready;
    expect(second.firing().map((f) => f.labels.alertname)).toContain('CheckoutRequestsBudgetBurnPage');
    await minutes(clock, 20, () => { b.counters.ok += 900; b.counters.failed += 100; }, [second]);
    expect(redelivered.filter((x) => x.status === 'firing' && x.labels.alertname === 'CheckoutRequestsBudgetBurnPage')).toEqual([]);
    expect((await store.listIncidents({ state: 'all' })).items).toHaveLength(before);
  });

  it('two processes (documented limitation: each judges its own traffic) burning alike land in one incident, one alert', async () => {
    await using store = await createEvidenceStore();
    const clock = { ms: Date.parse('2026-11-30T10:00:00Z') };
    const [p1, p2] = [app(clock), app(clock)];
    await using m1 = startSloMonitor({ config, read: p1.read, now: p1.now, evidence: createSloAlertIngest({ store }), tickMs: 3_600_000 });
    await using m2 = startSloMonitor({ config, read: p2.read, now: p2.now, evidence: createSloAlertIngest({ store }), tickMs: 3_600_000 });
    await minutes(clock, 20, () => {
      for (const p of [p1, p2]) { p.counters.ok += 900; p.counters.failed += 100; }
    }, [m1, m2]);
    const fingerprint = alertFingerprint({ alertname: 'CheckoutRequestsBudgetBurnPage', severity: 'page', slo: 'checkout_requests' });
    expect(await incidentsWith(store, fingerprint)).toHaveLength(1);
    const rows = await store.db.selectFrom('parapet_incident_alert').select('fingerprint').where('fingerprint', '=', fingerprint).execute();
    expect(rows).toHaveLength(1);
  });
});
