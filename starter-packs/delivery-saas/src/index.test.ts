import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { defineConfig } from '@parapet/core';
import { catalog } from '@parapet/core/integration';
import { generatePrometheusFiles, generatePromtoolTests, resolveConfig, resolveSlices } from '@parapet/core/slo';
import { webSaas } from '@parapet/starter-pack-web-saas';
import { needs } from '@parapet/vitest-preset/services';
import { describe, expect, it } from 'vitest';
import { deliverySaas } from './index.js';
import { deliverySlices } from './slices.js';

const run = promisify(execFile);
const hasPromtool = await needs('promtool');

describe('delivery-saas starter pack', () => {
  const slices = resolveSlices([deliverySaas()]);

  it('is the web-saas slices plus three delivery slices with documented defaults', () => {
    expect(slices.map((s) => s.name)).toEqual([...resolveSlices([webSaas()]).map((s) => s.name), 'delivery_saas_email_acceptance', 'delivery_saas_email_delivery', 'delivery_saas_callback_freshness']);
    expect(slices.slice(4).map((s) => [s.name, s.objective, s.alert, s.groupBy.join(','), s.sli.kind])).toEqual([
      ['delivery_saas_email_acceptance', 99.5, 'page', 'provider', 'event-ratio'],
      ['delivery_saas_email_delivery', 99, 'ticket', 'provider', 'event-ratio'],
      ['delivery_saas_callback_freshness', 99, 'ticket', 'provider', 'freshness'],
    ]);
  });

  it('pins every delivery slice to one catalog metric (never feedback over attempts)', () => {
    const byName = new Map(catalog.map((m) => [m.name, m]));
    for (const spec of deliverySlices('https://x.example')) {
      const sli = spec.sli;
      const metrics = sli.kind === 'event-ratio' ? [sli.total.metric, (sli.bad ?? sli.good)!.metric] : [sli.metric];
      expect(new Set(metrics).size, spec.name).toBe(1);
      expect(byName.get(metrics[0]!)?.type, spec.name).toBe(sli.kind === 'freshness' ? 'gauge' : 'counter');
    }
  });

  it('is used instead of webSaas(): registering both names both providers', () => {
    expect(() => resolveConfig(defineConfig({ providers: [webSaas(), deliverySaas()] }))).toThrow(/"web_saas_http_availability" is defined twice: by @parapet\/starter-pack-web-saas and by @parapet\/starter-pack-delivery-saas/);
  });

  it.skipIf(!hasPromtool)('delivery slices pass lint and their generated unit tests', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'delivery-saas-'));
    const own = slices.slice(4);
    for (const [name, text] of Object.entries({ ...generatePrometheusFiles(slices), ...generatePromtoolTests(own) })) writeFileSync(join(dir, name), text);
    const outcome = async (args: string[]) => run('promtool', args, { cwd: dir }).then((r) => r.stdout + r.stderr, (e: { stdout?: string; stderr?: string }) => `${e.stdout}${e.stderr}`);
    expect(await outcome(['check', 'rules', '--lint=all', '--lint-fatal', 'rules.yml'])).toContain('SUCCESS: 284 rules found');
    const results = await Promise.all(own.map((s) => outcome(['test', 'rules', `${s.name}.test.yml`])));
    results.forEach((r, i) => expect(r, own[i]!.name).toContain('SUCCESS'));
  }, 120_000);
});
