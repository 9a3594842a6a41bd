import { describe, expect, it } from 'vitest';
import { generatePrometheusRules, resolveConfig, sloCostReport } from '@parapet/core/slo';
import config from '../parapet.config.js';

describe('demo SLO config', () => {
  it('resolves to the delivery-saas slices and generates cheap rules for each', () => {
    const { slices, windows } = resolveConfig(config);
    const names = slices.map((s) => s.name);
    expect(names).toContain('delivery_saas_email_acceptance');
    expect(names).toContain('web_saas_http_availability');
    const rules = generatePrometheusRules(slices, windows);
    expect(rules.recording).toHaveLength(slices.length);
    expect(JSON.stringify(rules)).toContain('https://runbooks.example.com/demo/');
    for (const cost of sloCostReport(slices, windows)) expect(cost.rawWindowMinutesPerHour).toBeLessThan(1000);
  });
});
