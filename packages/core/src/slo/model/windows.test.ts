import { describe, expect, it } from 'vitest';
import { defineConfig, defineProvider, resolveConfig } from './define.js';
import { recordedWindows, shortWindows } from './windows.js';
import { generatePrometheusRules } from '../prometheus/rules.js';

describe('shortWindows', () => {
  const slice = {
    name: 'demo_login', objective: 99.9, alert: 'page' as const, runbookUrl: 'https://runbooks.example.com/login',
    sli: { kind: 'event-ratio' as const, total: { metric: 'parapet_journey_steps_total' }, bad: { metric: 'parapet_journey_steps_total', matchers: { outcome: 'failure' } } },
  };

  it('is a valid profile whose page pair is 10m/5m', () => {
    const { windows } = resolveConfig(defineConfig({ providers: [defineProvider('p', [slice])], windows: shortWindows }));
    expect(windows.page).toEqual([{ long: '10m', short: '5m', burnRate: 14.4 }]);
    expect(recordedWindows(windows, '28d')).toEqual(['5m', '10m', '30m', '28d']);
  });

  it('generates a page alert on the 10m and 5m burn rates', () => {
    const { slices, windows } = resolveConfig(defineConfig({ providers: [defineProvider('p', [slice])], windows: shortWindows }));
    const text = JSON.stringify(generatePrometheusRules(slices, windows));
    expect(text).toContain('parapet_slo:burn_rate:10m');
    expect(text).toContain('parapet_slo:burn_rate:5m');
    expect(text).not.toContain('parapet_slo:burn_rate:1h');
  });
});
