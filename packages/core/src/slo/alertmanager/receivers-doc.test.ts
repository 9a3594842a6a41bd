import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { needs } from '@parapet/vitest-preset/services';
import { parse } from 'yaml';
import { tempDir, tool, writeFiles } from '../../../test/slo-fixtures.js';
import { resolveConfig } from '../model/define.js';
import type { ParapetConfig } from '../model/spec.js';
import { generateAlertmanagerConfig } from './config.js';

/** docs/alertmanager-receivers.md: its config example generates a config amtool accepts. */
const here = dirname(fileURLToPath(import.meta.url));
const doc = readFileSync(join(here, '../../../../../docs/alertmanager-receivers.md'), 'utf8');
const [example] = [...doc.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
const coreEntry = pathToFileURL(join(here, '../../index.ts')).href;
const hasAmtool = await needs('amtool');

async function loadExample(): Promise<ParapetConfig> {
  const dir = tempDir('parapet-doc-');
  writeFiles(dir, { 'parapet.config.ts': example!.replaceAll("from '@parapet/core'", `from '${coreEntry}'`) });
  return ((await import(pathToFileURL(join(dir, 'parapet.config.ts')).href)) as { default: ParapetConfig }).default;
}

describe('docs/alertmanager-receivers.md', () => {
  it('has one config example, which runs and adds real page and ticket receivers', async () => {
    expect(example).toBeDefined();
    const config = await loadExample();
    const text = generateAlertmanagerConfig(resolveConfig(config).slices, config.alertmanager!);
    const receivers = (parse(text) as { receivers: Record<string, unknown>[] }).receivers;
    expect(receivers.map((r) => Object.keys(r).sort())).toEqual([['name', 'webhook_configs'], ['name', 'pagerduty_configs'], ['name', 'slack_configs']]);
    expect(text).not.toContain('# NOTE');
    // The doc's YAML excerpt shows what the generator really writes.
    expect(doc).toContain('credentials_file: /etc/alertmanager/secrets/parapet-webhook-token');
    expect(text).toContain('credentials_file: /etc/alertmanager/secrets/parapet-webhook-token');
    expect((parse(text) as { inhibit_rules: { equal: string[] }[] }).inhibit_rules[0]!.equal).toEqual(['slo', 'route']);
  });

  it.skipIf(!hasAmtool)('generates a config amtool check-config accepts', async () => {
    const config = await loadExample();
    const dir = tempDir();
    writeFiles(dir, { 'alertmanager.yml': generateAlertmanagerConfig(resolveConfig(config).slices, config.alertmanager!) });
    const { code, output } = await tool('amtool', ['check-config', 'alertmanager.yml'], dir);
    expect(output).toContain('SUCCESS');
    expect(output).toMatch(/Found:[\s\S]*3 receivers/);
    expect(code).toBe(0);
  });
});
