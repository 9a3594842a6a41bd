import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { needs } from '@parapet/vitest-preset/services';
import { afterAll, describe, expect, it } from 'vitest';
import { exec, parapet, project, removeScratch, scratch, write } from './test-support.js';

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
    expect(result.stdout).toContain('wrote 17 files to ');
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

const esmConfig = `import { defineConfig } from '@parapet/core';
import { webSaas } from '@parapet/starter-pack-web-saas';

export default defineConfig({ providers: [webSaas()] });
`;
const cjsConfig = `const { defineConfig } = require('@parapet/core');
const { webSaas } = require('@parapet/starter-pack-web-saas');

module.exports = defineConfig({ providers: [webSaas()] });
`;
const typedConfig = `import { defineConfig } from '@parapet/core';
import type { ParapetConfig } from '@parapet/core/slo';
import { webSaas } from '@parapet/starter-pack-web-saas';

const config: ParapetConfig = defineConfig({ providers: [webSaas()] });
export default config;
`;
/** Per extension, the syntax a user writes in it. */
const configs: Record<string, string> = { ts: typedConfig, mts: typedConfig, cts: cjsConfig, js: esmConfig, mjs: esmConfig, cjs: cjsConfig };

describe.each(['commonjs', 'module'] as const)('config files in a %s project (outside the repository)', (type) => {
  let dir: string;
  it('loads parapet.config.{ts,mts,cts,js,mjs,cjs}', async () => {
    dir = await project(type);
    for (const [ext, text] of Object.entries(configs)) {
      write(dir, `parapet.config.${ext}`, text);
      const result = await parapet(['cost', '--config', `parapet.config.${ext}`], dir);
      expect({ ext, code: result.code, stderr: result.stderr }).toEqual({ ext, code: 0, stderr: '' });
      expect(result.stdout).toMatch(/web_saas_http_availability\s+41\s+2\s+600/);
    }
  });

  it('finds parapet.config.ts by default and writes to parapet/<target>', async () => {
    const result = await parapet(['gen', 'grafana'], dir);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^parapet gen grafana: wrote \d+ files to parapet\/grafana\n/);
    expect(existsSync(join(dir, 'parapet', 'grafana', 'dashboards', 'parapet-overview.json'))).toBe(true);
  });

  it('loads a TypeScript config that uses top-level await, local TypeScript modules and a project package', async () => {
    write(dir, 'slos/web.ts', "import { webSaas } from '@parapet/starter-pack-web-saas';\nexport const web = webSaas();\n");
    write(dir, 'node_modules/esm-only-helper/package.json', '{ "name": "esm-only-helper", "type": "module", "exports": "./index.js" }\n');
    write(dir, 'node_modules/esm-only-helper/index.js', "export const runbooks = 'https://runbooks.example.com';\n");
    write(dir, 'mixed.config.ts', `import { defineConfig } from '@parapet/core';
import { runbooks } from 'esm-only-helper';
const { web } = await import('./slos/web');
export default defineConfig({ providers: [web], grafana: { datasourceUid: runbooks.length > 0 ? 'prometheus' : 'x' } });
`);
    const result = await parapet(['cost', '--config', 'mixed.config.ts'], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
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

  it('a config with an extension it cannot load', async () => {
    const path = write(dir, 'parapet.config.yaml', 'providers: []\n');
    const result = await parapet(['cost', '--config', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('has an unsupported extension. Name it parapet.config.ts, parapet.config.mts');
  });

  it('a config that throws', async () => {
    const path = write(dir, 'throws.config.ts', "throw new Error('PAGERDUTY_KEY is not set');\nexport default {};\n");
    const result = await parapet(['gen', 'grafana', '--config', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Loading ${path} failed: PAGERDUTY_KEY is not set`);
    expect(result.stderr).toContain('How to fix: the config threw while it ran');
  });

  it('a config importing a package that is not installed', async () => {
    const path = write(dir, 'missing.config.ts', "import { thing } from '@acme/not-installed/sub';\nexport default { providers: [thing] };\n");
    const result = await parapet(['cost', '--config', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('@acme/not-installed/sub');
    expect(result.stderr).toContain('How to fix: install the package the config imports in this project (npm install @acme/not-installed)');
  });

  it('a config importing a local file that does not exist', async () => {
    const path = write(dir, 'badpath.config.ts', "import { slos } from './slos/missing';\nexport default { providers: slos };\n");
    const result = await parapet(['cost', '--config', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('How to fix: correct the import path "./slos/missing"');
  });

  it('a config with a syntax error', async () => {
    const path = write(dir, 'syntax.config.ts', "export default defineConfig({ providers: [ };\n");
    const result = await parapet(['cost', '--config', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Loading ${path} failed`);
    expect(result.stderr).toContain('How to fix: fix the syntax error');
  });

  it('a config without providers', async () => {
    const path = write(dir, 'empty.config.ts', 'export default { slices: [] };\n');
    const result = await parapet(['gen', 'prometheus', '--config', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('must `export default defineConfig({ providers: [...] })`');
  });

  it('a ParapetError the config throws keeps its message and exit code', async () => {
    const path = write(dir, 'parapet-error.config.ts', "import { ParapetError } from '@parapet/core/integration';\nthrow new ParapetError('INTERNAL', 'pack failed: set RUNBOOK_URL');\n");
    const result = await parapet(['cost', '--config', path]);
    expect(result.stderr).toBe('parapet: pack failed: set RUNBOOK_URL\n');
    expect(result.code).toBe(1);
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
    expect(result.stderr).toContain('Fix the slices above in your config or provider and run again.');
    expect(existsSync(out)).toBe(false);
  });

  it('alertmanager without its config section', async () => {
    const path = write(dir, 'noam.config.ts', "import { defineConfig } from '@parapet/core';\nexport default defineConfig({ providers: [] });\n");
    const result = await parapet(['gen', 'alertmanager', '--config', path, '--out', join(dir, 'am-none')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('needs `alertmanager: { webhookUrl:');
  });

  it('one file is "1 file"', async () => {
    const path = write(dir, 'am.config.ts', "import { defineConfig } from '@parapet/core';\nexport default defineConfig({ providers: [], alertmanager: { webhookUrl: 'https://app.example.com/parapet/alertmanager', bearerTokenFile: false } });\n");
    const result = await parapet(['gen', 'alertmanager', '--config', path, '--out', join(dir, 'am-one')]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(': wrote 1 file to ');
  });

  it('bad usage prints the error, that command\'s usage only, and exits 2', async () => {
    const result = await parapet(['gen', 'loki']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('parapet gen needs a target: prometheus, alertmanager, grafana, openslo (got "loki")');
    expect(result.stderr).toContain('\n\nUsage: parapet gen prometheus|alertmanager|grafana|openslo [--config <file>] [--out <dir>]\n  gen prometheus ');
    expect(result.stderr).toMatch(/\nRun parapet --help for every command and option\.\n$/);
    expect(result.stderr).not.toContain('parapet install');
    expect(result.stderr).not.toContain('Options:');
  });

  it('no arguments prints the usage and exits 2; --help prints it and exits 0', async () => {
    const none = await parapet([]);
    expect([none.code, none.stdout]).toEqual([2, '']);
    expect(none.stderr).toMatch(/^parapet: No command given\.\n\nUsage:\n  parapet install /);
    expect(none.stderr).toMatch(/\n  parapet help\n\nRun parapet --help for every command and option\.\n$/);
    const help = await parapet(['--help']);
    expect([help.code, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toMatch(/^Usage:\n/);
  });

  it('unknown flags are errors', async () => {
    const result = await parapet(['cost', '--verbose']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown option --verbose. parapet cost takes --config and --help.');
  });
});
