import { readFileSync } from 'node:fs';
import { alertName, generatePrometheusFiles, resolveSlices, SLO_LABEL, SEVERITY_LABEL, WATCHDOG_ALERTNAME } from '@parapet/core/slo';
import { webSaas } from '@parapet/starter-pack-web-saas';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { responseOpenApiDocument } from './openapi.js';
import { defineRunbook, matchRunbook, policyFor, runbookTemplates } from './runbooks.js';

describe('runbook attachment', () => {
  const slices = resolveSlices([webSaas()]);
  const alerts = (parse(generatePrometheusFiles(slices)['alerts.yml']) as { groups: { rules: { alert: string; labels: Record<string, string> }[] }[] }).groups.flatMap((g) => g.rules);

  it('matches every alert the generator really emits for a starter pack, by slo and by alert name', () => {
    expect(alerts.length).toBeGreaterThan(0);
    const bySlo = runbookTemplates.backlogDrain({ slo: 'web_saas_job_success' });
    const login = slices.find((s) => s.name === 'web_saas_login_journey')!;
    const byName = defineRunbook({ id: 'login-page', title: 'Login burning', match: { alertname: alertName(login, 'page') }, steps: [{ id: 'look', title: 'Look', guidance: 'Check the IdP.' }] });
    // Every SLO alert carries its slice; the always-firing watchdog is the alert path's heartbeat, not an SLO.
    for (const rule of alerts.filter((r) => r.alert !== WATCHDOG_ALERTNAME)) {
      const incident = { slo: rule.labels[SLO_LABEL] ?? null, alertname: rule.alert, severity: rule.labels[SEVERITY_LABEL] ?? null };
      expect(incident.slo, `${rule.alert} carries the slo label`).not.toBeNull();
      expect(matchRunbook(bySlo, incident) !== undefined).toBe(incident.slo === 'web_saas_job_success');
      expect(matchRunbook(byName, incident) !== undefined).toBe(rule.alert === 'WebSaasLoginJourneyBudgetBurnPage');
    }
    expect(alerts.some((r) => r.alert === 'WebSaasLoginJourneyBudgetBurnPage')).toBe(true);
    expect(alerts.filter((r) => r.labels[SLO_LABEL] === 'web_saas_job_success').length).toBeGreaterThan(0);
  });

  it('validates runbooks: unknown keys, duplicate steps, automatic steps without a capability', () => {
    expect(() => defineRunbook({ id: 'x', title: 'x', match: { slo: 'a' }, steps: [{ id: 's', title: 's', guidance: '', automatic: {} }] })).toThrow(/automatic but has no capability/);
    expect(() => defineRunbook({ id: 'x', title: 'x', match: { slo: 'a' }, steps: [{ id: 's', title: 's', guidance: '' }, { id: 's', title: 't', guidance: '' }] })).toThrow(/used twice/);
    expect(() => defineRunbook({ id: 'x', title: 'x', match: { slo: 'a' }, steps: [{ id: 's', title: 's', guidance: '', capabilty: 'c' } as never] })).toThrow(/capabilty/);
    expect(() => defineRunbook({ id: 'x', title: 'x', match: {}, steps: [{ id: 's', title: 's', guidance: '' }] })).toThrow(/slo and\/or alertname/);
  });

  it('ships templates for dead letters, stalled workers, provider outage, callback delay and backlog drain', () => {
    const m = { slo: 'x' };
    expect(Object.values(runbookTemplates).map((t) => t(m).id)).toEqual(['dead-letters', 'stalled-workers', 'provider-outage', 'callback-delay', 'backlog-drain']);
  });

  it('picks the first matching escalation policy', () => {
    const policies = [
      { name: 'pages', match: { severity: 'page' }, ackGraceMs: 0, tiers: [{ targets: ['a'], escalateAfterMs: 1 }] },
      { name: 'rest', ackGraceMs: 0, tiers: [{ targets: ['b'], escalateAfterMs: 1 }] },
    ];
    expect(policyFor(policies, { slo: 's', severity: 'page' })?.name).toBe('pages');
    expect(policyFor(policies, { slo: 's', severity: 'ticket' })?.name).toBe('rest');
  });
});

describe('openapi.json', () => {
  it('is the exported fragment', () => {
    expect(JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'))).toEqual(JSON.parse(JSON.stringify(responseOpenApiDocument)));
  });
});
