import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateAlertmanagerConfig, generatePrometheusRules, resolveConfig, sloCostReport } from '@parapet/core/slo';

afterEach(() => vi.unstubAllEnvs());

async function load() {
  vi.resetModules();
  return (await import('../parapet.config.js')).default;
}

describe('demo SLO config', () => {
  it('has exactly the slices whose signals the demo emits, and generates cheap rules for each', async () => {
    const config = await load();
    const { slices, windows } = resolveConfig(config);
    expect(slices.map((s) => s.name).sort()).toEqual([
      'delivery_saas_email_acceptance', 'web_saas_http_availability', 'web_saas_http_latency', 'web_saas_job_success', 'web_saas_login_journey',
    ]);
    const rules = generatePrometheusRules(slices, windows);
    expect(rules.recording).toHaveLength(slices.length);
    expect(JSON.stringify(rules)).toContain('https://runbooks.example.com/demo/');
    for (const cost of sloCostReport(slices, windows)) expect(cost.rawWindowMinutesPerHour).toBeLessThan(1000);
    expect(generateAlertmanagerConfig(slices, config.alertmanager!)).toContain('http://127.0.0.1:3000/parapet/alertmanager');
  });

  it('PARAPET_WINDOWS=short picks the short-window profile', async () => {
    vi.stubEnv('PARAPET_WINDOWS', 'short');
    const { windows } = resolveConfig(await load());
    expect(windows.page[0]).toEqual({ long: '10m', short: '5m', burnRate: 14.4 });
  });
});
