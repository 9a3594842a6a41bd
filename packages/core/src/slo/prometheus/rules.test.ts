import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { costOfExpressions } from './cost.js';
import { generatePrometheusFiles } from './files.js';
import { generatePromtoolTests, generatePromtoolTestsLenient } from '../promtool/tests.js';
import { generatePrometheusRules } from './rules.js';
import { defineProvider, resolveSlices } from '../model/define.js';
import { fixtureSlices, fixtureSpecs, golden } from '../../../test/slo-fixtures.js';

describe('Prometheus rule generation', () => {
  const slices = fixtureSlices();
  const files = generatePrometheusFiles(slices);

  it('is byte-stable and matches the golden files', () => {
    expect(generatePrometheusFiles(fixtureSlices())).toEqual(files);
    for (const name of ['recording_rules.yml', 'alerts.yml', 'rules.yml'] as const) expect(files[name]).toBe(golden(name, files[name]));
    const tests = generatePromtoolTests(slices);
    expect(tests['login_journey.test.yml']).toBe(golden('login_journey.test.yml', tests['login_journey.test.yml']!));
  });

  it('rules.yml is recording_rules.yml plus alerts.yml', () => {
    const groups = (text: string) => (parse(text) as { groups: unknown[] }).groups;
    expect(groups(files['rules.yml'])).toEqual([...groups(files['recording_rules.yml']), ...groups(files['alerts.yml'])]);
  });

  it('reads raw series only in the 5m increases; every longer window sums those recordings', () => {
    const { recording } = generatePrometheusRules(slices);
    for (const group of recording) {
      const raw = group.rules.filter((r) => costOfExpressions([r.expr]).length > 0);
      for (const r of raw) expect(costOfExpressions([r.expr]).map((c) => c.minutes)).toEqual([5]);
      expect(raw.map((r) => r.record)).toEqual(['parapet_slo:total:increase5m', 'parapet_slo:bad:increase5m']);
      for (const rule of group.rules.filter((r) => /:(total|bad):increase(?!5m)/.test(r.record))) {
        expect(rule.expr).toMatch(/^sum_over_time\(parapet_slo:(total|bad):tile5m\{slo="[a-z_]+"\}\[(\d+[dhm])*30s\]\)$/);
      }
      for (const rule of group.rules.filter((r) => r.record.includes(':tile5m'))) {
        expect(rule.expr).toMatch(/^parapet_slo:(total|bad):increase5m\{slo="[a-z_]+"\} and on \(\) \(vector\(time\(\)\) % 300 < 60\)$/);
      }
      const ratios = group.rules.filter((r) => r.record.startsWith('parapet_slo:error_ratio:'));
      for (const rule of ratios) expect(rule.expr).toMatch(/^parapet_slo:bad:increase(\w+)\{slo="[a-z_]+"\} \/ \(parapet_slo:total:increase\1\{slo="[a-z_]+"\} > 0\)$/);
    }
    const all = files['rules.yml'];
    expect(all).not.toMatch(/clamp_min/);
    expect(all).not.toMatch(/avg_over_time|count_over_time\(parapet_slo/);
  });

  it('prints thresholds exactly', () => {
    const all = files['rules.yml'];
    expect(all).toContain('vector(0.999)');
    expect(all).toContain('parapet_slo:error_ratio:5m{slo="login_journey"} / 0.001');
    expect(all).toContain('/ 0.005');
    expect(all).not.toMatch(/\d\.\d*0000000\d|9999999/);
  });

  it('writes one page and one ticket alert per slice (per its class) with the workbook pairs and the evidence guard', () => {
    const { alerting } = generatePrometheusRules(slices);
    const login = alerting.find((g) => g.name === 'parapet_slo_login_journey_alerts')!;
    expect(login.rules.map((r) => r.alert)).toEqual(['LoginJourneyBudgetBurnPage', 'LoginJourneyBudgetBurnTicket', 'LoginJourneyNoData']);
    const [page, ticket, noData] = login.rules;
    expect(page!.expr).toBe([
      '(',
      '  parapet_slo:burn_rate:1h{slo="login_journey"} > 14.4',
      '    and parapet_slo:burn_rate:5m{slo="login_journey"} > 14.4',
      '    and parapet_slo:bad:increase1h{slo="login_journey"} >= 5',
      ')',
      'or',
      '(',
      '  parapet_slo:burn_rate:6h{slo="login_journey"} > 6',
      '    and parapet_slo:burn_rate:30m{slo="login_journey"} > 6',
      '    and parapet_slo:bad:increase6h{slo="login_journey"} >= 5',
      ')',
    ].join('\n'));
    expect(ticket!.expr).toContain('parapet_slo:burn_rate:1d{slo="login_journey"} > 3\n    and parapet_slo:burn_rate:2h{slo="login_journey"} > 3');
    expect(ticket!.expr).toContain('parapet_slo:burn_rate:3d{slo="login_journey"} > 1\n    and parapet_slo:burn_rate:6h{slo="login_journey"} > 1');
    expect(page!.labels).toEqual({ slo: 'login_journey', severity: 'page' });
    expect(Object.keys(page!.annotations).sort()).toEqual(['budget_consumed', 'burn_rate', 'description', 'runbook_url', 'summary']);
    expect(noData!.expr).toBe('absent(parapet_slo:total:increase5m{slo="login_journey"})');
    expect(noData!.for).toBe('10m');
    expect(noData!.labels.severity).toBe('ticket');
    const latency = alerting.find((g) => g.name === 'parapet_slo_api_latency_alerts')!;
    expect(latency.rules.map((r) => r.alert)).toEqual(['ApiLatencyBudgetBurnTicket', 'ApiLatencyNoData']);
    const checkout = alerting.find((g) => g.name === 'parapet_slo_checkout_requests_alerts')!;
    expect(checkout.rules[0]!.labels).toEqual({ slo: 'checkout_requests', team: 'payments', severity: 'page' });
    expect(checkout.rules[0]!.annotations.dashboard).toBe('https://grafana.example.com/d/checkout');
  });

  it('records latency against both spellings of an integer bucket, and freshness as one-minute slices', () => {
    const all = files['rules.yml'];
    expect(all).toContain('parapet_http_server_request_duration_seconds_bucket{status_class!="aborted",le=~"1(\\\\.0)?"}');
    expect(all).toContain('sum by (queue) (sum_over_time((parapet_queue_oldest_waiting_age_seconds > bool 300)[5m:1m]))');
    expect(all).toContain('(time() - parapet_async_callback_last_success_timestamp_seconds{provider="stripe"}) > bool 900');
  });

  it('ends the alerting groups with the always-firing watchdog; slice groups keep their names', () => {
    const { alerting } = generatePrometheusRules(slices);
    expect(alerting.map((g) => g.name)).toEqual([...slices.filter((s) => s.alert !== 'none').map((s) => `parapet_slo_${s.name}_alerts`), 'parapet_slo_watchdog']);
    expect(alerting.at(-1)!.rules).toEqual([
      { alert: 'ParapetWatchdog', expr: 'vector(1)', labels: { severity: 'none', parapet: 'watchdog' }, annotations: expect.objectContaining({ summary: expect.stringContaining('Always firing') }) },
    ]);
  });

  it('omits alerts for alert class none but keeps recordings', () => {
    const rules = generatePrometheusRules(fixtureSlices({ alert: 'none' }));
    // Only the watchdog (loop health) is left: it proves the alert path even without slice alerts.
    expect(rules.alerting.map((g) => g.name)).toEqual(['parapet_slo_watchdog']);
    expect(rules.recording).toHaveLength(5);
  });

  it('reports, instead of failing, a slice whose unit test cannot be synthesized', () => {
    const odd = { ...fixtureSpecs[0]!, name: 'odd_slice', sli: { kind: 'freshness' as const, metric: 'app_last_sync_timestamp_seconds', matchers: { shard: { regex: 'x\\d+' } }, gauge: 'timestamp' as const, maxAgeSeconds: 60 } };
    const { files, skipped } = generatePromtoolTestsLenient(resolveSlices([defineProvider('p', [fixtureSpecs[0]!, odd])]));
    expect(Object.keys(files)).toEqual(['login_journey.rules.yml', 'login_journey.test.yml']);
    expect(skipped).toEqual([{ slice: 'odd_slice', reason: expect.stringContaining('cannot synthesize a app_last_sync_timestamp_seconds series') }]);
  });

  it('writes true alert texts: NoData names its own `for`, says missing (not idle), numbers never in exponent form', () => {
    const [login] = resolveSlices([defineProvider('p', [{ ...fixtureSpecs[0]!, noDataFor: '20m', noDataSeverity: 'page' }])]);
    const group = generatePrometheusRules([login!]).alerting[0]!;
    const noData = group.rules.find((r) => r.alert === 'LoginJourneyNoData')!;
    expect(noData.for).toBe('20m');
    expect(noData.labels.severity).toBe('page');
    expect(noData.annotations.description).toContain('have been missing for 20m');
    expect(noData.annotations.description).toContain('Missing is not idle');
    expect(noData.annotations.summary).toContain('its series are missing');
    const page = group.rules[0]!;
    expect(page.annotations.burn_rate).toBe('{{ $value | printf "%.1f" }}');
    expect(page.annotations.budget_consumed).toBe('{{ with printf "100 * (1 - parapet_slo:error_budget_remaining:ratio{slo=\\"login_journey\\"})" | query }}{{ . | first | value | printf "%.1f" }}%{{ else }}unknown{{ end }}');
    for (const rule of group.rules) for (const text of Object.values(rule.annotations)) expect(text).not.toMatch(/humanize/);
  });
});
