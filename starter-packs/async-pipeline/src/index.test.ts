import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { defineConfig } from '@parapet/core';
import { catalog } from '@parapet/core/integration';
import { generatePrometheusFiles, generatePromtoolTests, resolveConfig, resolveSlices } from '@parapet/core/slo';
import { needs } from '@parapet/vitest-preset/services';
import { describe, expect, it } from 'vitest';
import { asyncPipeline } from './index.js';
import { asyncPipelineSlices } from './slices.js';

const run = promisify(execFile);
const hasPromtool = await needs('promtool');

describe('async-pipeline starter pack', () => {
  const slices = resolveSlices([asyncPipeline()]);

  it('has five slices with documented defaults', () => {
    expect(slices.map((s) => [s.name, s.objective, s.alert, s.groupBy.join(','), s.sli.kind])).toEqual([
      ['async_pipeline_stage_success', 99.5, 'page', 'queue,pipeline_stage', 'event-ratio'],
      ['async_pipeline_stage_latency', 99, 'ticket', 'queue,pipeline_stage', 'latency'],
      ['async_pipeline_backlog_age', 99, 'ticket', 'queue', 'freshness'],
      ['async_pipeline_callback_success', 99.5, 'ticket', 'provider', 'event-ratio'],
      ['async_pipeline_callback_freshness', 99, 'ticket', 'provider,pipeline_stage', 'freshness'],
    ]);
  });

  it('pins every slice to one catalog metric of the right type (numerator and denominator from one family)', () => {
    const byName = new Map(catalog.map((m) => [m.name, m]));
    for (const spec of asyncPipelineSlices('https://x.example')) {
      const sli = spec.sli;
      const metrics = sli.kind === 'event-ratio' ? [sli.total.metric, (sli.bad ?? sli.good)!.metric] : [sli.metric];
      expect(new Set(metrics).size, spec.name).toBe(1);
      const type = byName.get(sli.kind === 'latency' ? sli.metric : metrics[0]!)?.type;
      expect(type, spec.name).toBe(sli.kind === 'freshness' ? 'gauge' : sli.kind === 'latency' ? 'histogram' : 'counter');
    }
  });

  it('judges items, not attempts: retryable failures are in neither side of stage success', () => {
    const success = slices.find((s) => s.name === 'async_pipeline_stage_success')!.sli;
    expect(success).toMatchObject({ total: { matchers: { outcome: ['succeeded', 'discarded'] } }, bad: { matchers: { outcome: 'discarded' } } });
  });

  it('applies options and validates them', () => {
    const custom = resolveSlices([asyncPipeline({ exclude: ['async_pipeline_callback_freshness'], overrides: { async_pipeline_stage_success: { objective: 99.9 } }, labels: { team: 'data' } })]);
    expect(custom.map((s) => s.name)).not.toContain('async_pipeline_callback_freshness');
    expect(custom[0]).toMatchObject({ objective: 99.9, labels: { team: 'data' } });
    expect(() => asyncPipeline({ exclude: ['async_pipeline_stage_sucess'] } as never)).toThrow(/exclude/);
    expect(() => asyncPipeline({ runbookBase: 'x' } as never)).toThrow(/did you mean "runbookBaseUrl"/);
  });

  it('registers twice only with a duplicate-slice error', () => {
    expect(() => resolveConfig(defineConfig({ providers: [asyncPipeline(), asyncPipeline()] }))).toThrow(/defined twice/);
  });

  it.skipIf(!hasPromtool)('its rules pass lint and its generated unit tests', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'async-pipeline-'));
    for (const [name, text] of Object.entries({ ...generatePrometheusFiles(slices), ...generatePromtoolTests(slices) })) writeFileSync(join(dir, name), text);
    const outcome = async (args: string[]) => run('promtool', args, { cwd: dir }).then((r) => r.stdout + r.stderr, (e: { stdout?: string; stderr?: string }) => `${e.stdout}${e.stderr}`);
    expect(await outcome(['check', 'rules', '--lint=all', '--lint-fatal', 'rules.yml'])).toContain('SUCCESS');
    const results = await Promise.all(slices.map((s) => outcome(['test', 'rules', `${s.name}.test.yml`])));
    results.forEach((r, i) => expect(r, slices[i]!.name).toContain('SUCCESS'));
  }, 120_000);
});
