import { describe, expect, it } from 'vitest';
import { sliceDashboardUid } from '@parapet/core/slo';
import { browserSliceDashboardUid, externalLinks, safeHref } from './links.js';
import { parseRoute } from './components/router.js';
import type { Incident } from './types.js';

describe('safeHref', () => {
  it('keeps absolute http(s) URLs only', () => {
    expect(safeHref('https://runbooks.example.com/x')).toBe('https://runbooks.example.com/x');
    expect(safeHref('http://a.example/')).toBe('http://a.example/');
    for (const bad of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,<b>', 'vbscript:x', '/relative', '//evil.example', '', null, 42]) expect(safeHref(bad), String(bad)).toBeUndefined();
  });
});

describe('browserSliceDashboardUid', () => {
  it('matches sliceDashboardUid from @parapet/core/slo for short and long slice names', async () => {
    for (const name of ['checkout', 'checkout_availability', 'a_really_long_slice_name_for_the_billing_checkout_latency_p99']) {
      expect(await browserSliceDashboardUid(name)).toBe(sliceDashboardUid({ name }));
    }
  });
});

describe('externalLinks', () => {
  const incident = {
    id: '1', state: 'open', alertname: 'SLOBurnFast', slo: 'checkout', severity: 'page', fingerprint: 'f', groupKey: null, correlationKey: 'f', labels: { alertname: 'SLOBurnFast', slo: 'checkout', instance: 'i-1' }, annotations: {},
    runbookUrl: 'javascript:alert(1)', traceId: 'abc123', triageSummary: null, openedAt: '2026-11-30T00:00:00Z', acknowledgedAt: null, acknowledgedBy: null, assignee: null, resolvedAt: null,
    escalation: { step: 0, nextAt: null, suppressedUntil: null, stopped: false }, alerts: [], updatedAt: '2026-11-30T00:00:00Z',
  } satisfies Incident;
  it('builds dashboard, trace and silence links and drops an unsafe runbook', async () => {
    const links = await externalLinks(incident, { grafanaUrl: 'https://grafana.example.com/', alertmanagerUrl: 'https://am.example.com', traceUrl: 'https://tempo.example.com/trace/{traceId}' });
    expect(links.map((l) => l.kind)).toEqual(['dashboard', 'trace', 'silence']);
    expect(links[0]!.href).toBe('https://grafana.example.com/d/parapet-checkout');
    expect(links[1]!.href).toBe('https://tempo.example.com/trace/abc123');
    expect(decodeURIComponent(links[2]!.href)).toContain('{alertname="SLOBurnFast",slo="checkout"}');
  });
});

describe('parseRoute', () => {
  it('maps path-based routes under any base path', () => {
    expect(parseRoute('/parapet/', '/parapet')).toEqual({ name: 'queue' });
    expect(parseRoute('/ops/parapet/resolved', '/ops/parapet')).toEqual({ name: 'resolved' });
    expect(parseRoute('/parapet/incidents/42', '/parapet')).toEqual({ name: 'incident', id: '42' });
    expect(parseRoute('/parapet/what', '/parapet')).toEqual({ name: 'not-found', path: '/what' });
  });
});
