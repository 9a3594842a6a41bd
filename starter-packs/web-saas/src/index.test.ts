import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { defineConfig, type SliceSpec } from '@parapet/core';
import { catalog } from '@parapet/core/integration';
import { generatePrometheusFiles, generatePromtoolTests, resolveConfig, resolveSlices } from '@parapet/core/slo';
import { needs } from '@parapet/vitest-preset/services';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { webSaas } from './index.js';

const run = promisify(execFile);
const hasPromtool = await needs('promtool');
async function promtool(dir: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run('promtool', args, { cwd: dir });
    return { code: 0, output: stdout + stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? 1, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}
function metricOf(spec: SliceSpec): string[] {
  const sli = spec.sli;
  if (sli.kind === 'event-ratio') return [sli.total.metric, (sli.bad ?? sli.good)!.metric];
  return [sli.metric];
}

describe('web-saas starter pack', () => {
  const slices = resolveSlices([webSaas()]);

  it('ships four documented slices with their defaults', () => {
    expect(slices.map((s) => [s.name, s.objective, s.period, s.alert, s.groupBy.join(','), s.runbookUrl])).toEqual([
      ['web_saas_http_availability', 99.9, '30d', 'page', '', 'https://parapet.dev/runbooks/http-availability'],
      ['web_saas_http_latency', 99, '30d', 'ticket', '', 'https://parapet.dev/runbooks/http-latency'],
      ['web_saas_login_journey', 99.9, '30d', 'page', '', 'https://parapet.dev/runbooks/login-journey'],
      ['web_saas_job_success', 99, '30d', 'ticket', 'queue', 'https://parapet.dev/runbooks/job-success'],
    ]);
  });

  it('pins every slice to a metric the catalog emits', () => {
    const names = new Set(catalog.map((m) => m.name));
    for (const slice of webSaas().slices()) for (const metric of metricOf(slice)) expect(names, `${slice.name}: ${metric}`).toContain(metric);
  });

  it('applies overrides, exclusions and labels', () => {
    const custom = resolveSlices([webSaas({ runbookBaseUrl: 'https://wiki.example.com/rb', exclude: ['web_saas_login_journey'], labels: { team: 'web' }, overrides: { web_saas_http_latency: { objective: 95, alert: 'none' } } })]);
    expect(custom.map((s) => s.name)).not.toContain('web_saas_login_journey');
    const latency = custom.find((s) => s.name === 'web_saas_http_latency')!;
    expect([latency.objective, latency.alert, latency.labels, latency.runbookUrl]).toEqual([95, 'none', { team: 'web' }, 'https://wiki.example.com/rb/http-latency']);
  });

  it('refuses to be registered twice, naming both providers', () => {
    expect(() => resolveConfig(defineConfig({ providers: [webSaas(), webSaas()] }))).toThrow(/slice "web_saas_http_availability" is defined twice: by @parapet\/starter-pack-web-saas and by @parapet\/starter-pack-web-saas/);
  });

  describe.skipIf(!hasPromtool)('under promtool', () => {
    it('passes lint and every generated unit test', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'web-saas-'));
      for (const [name, text] of Object.entries({ ...generatePrometheusFiles(slices), ...generatePromtoolTests(slices) })) writeFileSync(join(dir, name), text);
      const lint = await promtool(dir, 'check', 'rules', '--lint=all', '--lint-fatal', 'rules.yml');
      expect(lint.output).toContain('SUCCESS');
      const tests = slices.map((s) => `${s.name}.test.yml`);
      const results = await Promise.all(tests.map((t) => promtool(dir, 'test', 'rules', t)));
      results.forEach((r, i) => expect(r.output, tests[i]).toContain('SUCCESS'));
    }, 120_000);

    it('counts server errors and 429 as bad, other client errors and aborted requests not at all', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'web-saas-'));
      writeFileSync(join(dir, 'rules.yml'), generatePrometheusFiles(slices)['rules.yml']);
      const series = (cls: string, code: string, perMinute: number) => ({
        series: `parapet_http_server_requests_total{method="GET",route="/api",status_class="${cls}",status_code="${code}"}`,
        values: `0+${perMinute}x20`,
      });
      writeFileSync(join(dir, 'codes.test.yml'), stringify({
        rule_files: ['rules.yml'],
        evaluation_interval: '1m',
        tests: [{
          interval: '1m',
          input_series: [series('2xx', '200', 90), series('4xx', '404', 5), series('4xx', '429', 2), series('5xx', '503', 3), series('aborted', '499', 40)],
          promql_expr_test: [{ expr: 'parapet_slo:error_ratio:5m{slo="web_saas_http_availability"}', eval_time: '15m', exp_samples: [{ labels: 'parapet_slo:error_ratio:5m{slo="web_saas_http_availability"}', value: 0.05 }] }],
        }],
      }));
      const result = await promtool(dir, 'test', 'rules', 'codes.test.yml');
      expect(result.output).toContain('SUCCESS');
    });
  });
});
