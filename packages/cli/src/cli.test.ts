import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { needs } from '@parapet/vitest-preset/services';
import { afterAll, describe, expect, it } from 'vitest';
import { exec, parapet, removeScratch, scratch, write } from './test-support.js';

afterAll(removeScratch);

const hasPromtool = await needs('promtool');
const hasAmtool = await needs('amtool');

const config = `import { defineConfig } from '@parapet/core';
import { deliverySaas } from '@parapet/starter-pack-delivery-saas';

export default defineConfig({
  providers: [deliverySaas({ runbookBaseUrl: 'https://wiki.example.com/runbooks' })],
  alertmanager: { webhookUrl: 'https://app.example.com/parapet/alertmanager', bearerTokenFile: '/etc/alertmanager/secrets/parapet-webhook-token', pageReceiver: { pagerduty_configs: [{ routing_key: 'REPLACE_ME' }] } },
});
`;

describe('parapet gen (the real bin, TypeScript config)', () => {
  const dir = scratch();
  const configPath = write(dir, 'parapet.config.ts', config);

  it('gen prometheus writes rules and per-slice promtool tests that pass', async () => {
    const result = await parapet(['gen', 'prometheus', '--config', configPath, '--out', join(dir, 'prometheus')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('wrote 17 files');
    for (const f of ['recording_rules.yml', 'alerts.yml', 'rules.yml', 'tests/delivery_saas_callback_freshness.test.yml']) expect(existsSync(join(dir, 'prometheus', f)), f).toBe(true);
    if (hasPromtool) {
      expect((await exec('promtool', ['check', 'rules', '--lint=all', '--lint-fatal', 'rules.yml'], join(dir, 'prometheus'))).code).toBe(0);
      const test = await exec('promtool', ['test', 'rules', 'tests/delivery_saas_callback_freshness.test.yml'], join(dir, 'prometheus'));
      expect(test.stdout).toContain('SUCCESS');
    }
  });

  it.skipIf(!hasAmtool)('gen alertmanager writes a config amtool accepts', async () => {
    const result = await parapet(['gen', 'alertmanager', '--config', configPath, '--out', join(dir, 'am')]);
    expect(result.code).toBe(0);
    expect((await exec('amtool', ['check-config', join(dir, 'am', 'alertmanager.yml')])).code).toBe(0);
  });

  it('gen grafana writes dashboards and provisioning', async () => {
    const result = await parapet(['gen', 'grafana', '--config', configPath, '--out', join(dir, 'grafana')]);
    expect(result.code).toBe(0);
    const dashboards = readdirSync(join(dir, 'grafana', 'dashboards'));
    expect(dashboards).toHaveLength(8);
    for (const d of dashboards) expect(() => JSON.parse(readFileSync(join(dir, 'grafana', 'dashboards', d), 'utf8'))).not.toThrow();
    expect(existsSync(join(dir, 'grafana', 'provisioning', 'datasources', 'parapet.yml'))).toBe(true);
  });

  it('cost prints raw window-minutes per slice', async () => {
    const result = await parapet(['cost', '--config', configPath]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/delivery_saas_email_acceptance\s+41\s+2\s+600/);
  });
});

describe('parapet errors say what to fix', () => {
  const dir = scratch();

  it('missing config', async () => {
    const result = await parapet(['gen', 'prometheus', '--config', join(dir, 'nope.config.ts')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Config file not found: ${join(dir, 'nope.config.ts')}`);
    expect(result.stderr).toContain('export default defineConfig({ providers: [webSaas()] });');
  });

  it('a config that throws', async () => {
    const path = write(dir, 'throws.config.ts', "throw new Error('PAGERDUTY_KEY is not set');\nexport default {};\n");
    const result = await parapet(['gen', 'grafana', '--config', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Loading ${path} failed`);
    expect(result.stderr).toContain('PAGERDUTY_KEY is not set');
  });

  it('a config without providers', async () => {
    const path = write(dir, 'empty.config.ts', 'export default { slices: [] };\n');
    const result = await parapet(['gen', 'prometheus', '--config', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('must `export default defineConfig({ providers: [...] })`');
  });

  it('invalid specs, naming slice and field, and writing nothing', async () => {
    const path = write(dir, 'invalid.config.ts', `import { defineConfig } from '@parapet/core';
import { webSaas } from '@parapet/starter-pack-web-saas';
export default defineConfig({ providers: [webSaas({ overrides: { web_saas_http_availability: { objective: 100 }, web_saas_http_latency: { sli: { kind: 'latency', metric: 'parapet_http_server_request_duration_seconds', threshold: 0.3 } } } })] });
`);
    const out = join(dir, 'never');
    const result = await parapet(['gen', 'prometheus', '--config', path, '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('slice "web_saas_http_availability" (from @parapet/starter-pack-web-saas): objective: 100 is outside 0 < objective < 100');
    expect(result.stderr).toContain('slice "web_saas_http_latency" (from @parapet/starter-pack-web-saas): sli.threshold: 0.3 is not a bucket boundary');
    expect(existsSync(out)).toBe(false);
  });

  it('alertmanager without its config section', async () => {
    const path = write(dir, 'noam.config.ts', "import { defineConfig } from '@parapet/core';\nexport default defineConfig({ providers: [] });\n");
    const result = await parapet(['gen', 'alertmanager', '--config', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('needs `alertmanager: { webhookUrl:');
  });

  it('bad usage prints the usage', async () => {
    const result = await parapet(['gen', 'loki']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('parapet gen needs a target: prometheus, alertmanager, grafana (got "loki")');
    expect(result.stderr).toContain('Usage:');
  });
});
