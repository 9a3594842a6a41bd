import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { catalogSeriesNames } from '../model/catalog-lookup.js';
import { sliceDashboardUid } from '../conventions.js';
import { generateGrafanaFiles } from './dashboards.js';
import { generatePrometheusRules } from '../prometheus/rules.js';
import { seriesNames } from '../prometheus/promql-scan.js';
import { fixtureSlices } from '../../../test/slo-fixtures.js';

interface Dashboard {
  uid: string;
  annotations: { list: { expr: string }[] };
  templating: { list: { name: string; definition: string }[] };
  panels: { targets: { expr: string }[] }[];
}

describe('Grafana dashboards', () => {
  const slices = fixtureSlices();
  const files = generateGrafanaFiles(slices);
  const dashboards = Object.entries(files).filter(([k]) => k.endsWith('.json')).map(([k, v]) => [k, JSON.parse(v) as Dashboard] as const);
  const rules = generatePrometheusRules(slices);
  const produced = new Set([...rules.recording.flatMap((g) => g.rules.map((r) => r.record)), ...catalogSeriesNames()]);

  it('query only series that the generated rules or the metric catalog produce', () => {
    const queried = new Set<string>();
    for (const [, d] of dashboards) {
      const exprs = [...d.panels.flatMap((p) => p.targets.map((t) => t.expr)), ...d.annotations.list.map((a) => a.expr), ...d.templating.list.map((v) => v.definition.replace(/^label_values\((.*), \w+\)$/, '$1'))];
      for (const expr of exprs) for (const name of seriesNames(expr)) queried.add(name);
    }
    expect([...queried].filter((n) => !produced.has(n))).toEqual([]);
    expect(queried).toContain('parapet_slo:error_budget_remaining:ratio');
    expect(queried).toContain('parapet_deploy_last_timestamp_seconds');
    // The scanner must be able to catch a dead reference.
    expect(seriesNames('sum(rate(parapet_http_request_count{a="b"}[5m])) / on(x) slo:error_ratio:rate5m').filter((n) => !produced.has(n))).toEqual(['parapet_http_request_count', 'slo:error_ratio:rate5m']);
  });

  it('has an overview and one dashboard per slice with budget, burn rate by window, SLI, group variables and deploys', () => {
    expect(dashboards.map(([k]) => k)).toEqual(['dashboards/parapet-overview.json', ...slices.map((s) => `dashboards/${sliceDashboardUid(s)}.json`)]);
    const checkout = dashboards.find(([, d]) => d.uid === 'parapet-checkout-requests')![1];
    expect(checkout.templating.list.map((v) => v.name)).toEqual(['route']);
    const exprs = checkout.panels.flatMap((p) => p.targets.map((t) => t.expr));
    expect(exprs).toContain('parapet_slo:error_budget_remaining:ratio{slo="checkout_requests", route=~"$route"}');
    expect(exprs.filter((e) => e.startsWith('parapet_slo:burn_rate:'))).toHaveLength(8);
    expect(exprs).toContain('1 - parapet_slo:error_ratio:30d{slo="checkout_requests", route=~"$route"}');
    for (const [, d] of dashboards) {
      expect(d.uid.length).toBeLessThanOrEqual(40);
      expect(d.annotations.list[0]!.expr).toContain('parapet_deploy_last_timestamp_seconds');
    }
  });

  it('is byte-stable and provisions dashboards and the Prometheus datasource', () => {
    expect(generateGrafanaFiles(fixtureSlices())).toEqual(files);
    const ds = parse(files['provisioning/datasources/parapet.yml']!) as { datasources: { uid: string; type: string }[] };
    expect(ds.datasources[0]).toMatchObject({ uid: 'parapet-prometheus', type: 'prometheus' });
    const providers = parse(files['provisioning/dashboards/parapet.yml']!) as { providers: { type: string; options: { path: string } }[] };
    expect(providers.providers[0]).toMatchObject({ type: 'file', options: { path: '/var/lib/grafana/dashboards/parapet' } });
    expect(sliceDashboardUid({ name: 'a_very_long_slice_name_that_goes_on_and_on_forever' })).toMatch(/^parapet-a-very-long-slice-name-[0-9a-f]{8}$/);
  });
});
