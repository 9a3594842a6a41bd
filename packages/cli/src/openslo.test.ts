import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asyncPipeline } from '@parapet/starter-pack-async-pipeline';
import { deliverySaas } from '@parapet/starter-pack-delivery-saas';
import { webSaas } from '@parapet/starter-pack-web-saas';
import { defineProvider, generateOpenSlo, generatePrometheusRules, parseOpenSlo, resolveSlices, workbookWindows } from '@parapet/core/slo';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { packageDir, parapet, removeScratch, scratch, write } from './test-support.js';

afterAll(removeScratch);

const example = (name: string) => readFileSync(join(packageDir, 'test', 'openslo', name), 'utf8');
// delivery-saas composes web-saas, so each pack is exported on its own.
const packs = { 'web-saas': webSaas(), 'delivery-saas': deliverySaas(), 'async-pipeline': asyncPipeline() };

describe.each(Object.entries(packs))('OpenSLO v1 export of the %s starter pack', (_, pack) => {
  const slices = resolveSlices([pack]);
  const text = generateOpenSlo(slices);
  const docs = parseAllDocuments(text).map((d) => d.toJS() as { kind: string; metadata: { name: string }; spec: Record<string, any> });

  it('writes one SLO per slice: ratio of the generated SLI expressions, 30d rolling, Occurrences, one policy per window pair', () => {
    expect(docs).toHaveLength(slices.length);
    const recordings = generatePrometheusRules(slices).recording.flatMap((g) => g.rules);
    for (const [i, slice] of slices.entries()) {
      const doc = docs[i]!;
      expect(doc.kind).toBe('SLO');
      expect(doc.spec.budgetingMethod).toBe('Occurrences');
      expect(doc.spec.timeWindow).toEqual([{ duration: slice.period, isRolling: true }]);
      const ratio = doc.spec.indicator.spec.ratioMetric;
      // The total query is exactly the generated recording of the 5m total.
      const total = recordings.find((r) => r.record === 'parapet_slo:total:increase5m' && r.labels.slo === slice.name)!;
      expect(ratio.total.metricSource).toEqual({ type: 'Prometheus', spec: { query: total.expr } });
      // The good/bad query appears verbatim inside the generated bad expression.
      const bad = recordings.find((r) => r.record === 'parapet_slo:bad:increase5m' && r.labels.slo === slice.name)!;
      expect(bad.expr).toContain((ratio.good ?? ratio.bad).metricSource.spec.query);
      const pairs = slice.alert === 'page' ? [...workbookWindows.page, ...workbookWindows.ticket] : slice.alert === 'ticket' ? workbookWindows.ticket : [];
      expect(doc.spec.alertPolicies.map((p: any) => [p.spec.conditions[0].spec.condition.lookbackWindow, p.spec.conditions[0].spec.condition.threshold, p.metadata.annotations['parapet.dev/short-window']]))
        .toEqual(pairs.map((p) => [p.long, p.burnRate, p.short]));
    }
  });

  it.runIf(slices.some((s) => s.sli.kind === 'latency'))('writes a latency slice as the ratio of its threshold bucket to its count', () => {
    const latency = slices.find((s) => s.sli.kind === 'latency')!;
    const ratio = docs[slices.indexOf(latency)]!.spec.indicator.spec.ratioMetric;
    expect(ratio.good.metricSource.spec.query).toMatch(/_bucket\{.*le=/);
    expect(ratio.total.metricSource.spec.query).toMatch(/_count/);
  });

  it('round trip export -> import -> export is byte-stable for every starter-pack slice', () => {
    const imported = parseOpenSlo(text);
    expect(imported.map((s) => s.name)).toEqual(slices.map((s) => s.name));
    const again = generateOpenSlo(resolveSlices([defineProvider('openslo', imported)]));
    expect(again).toBe(text);
  });
});

describe('OpenSLO v1 import: hand-written examples', () => {
  it('good/total with rate() and target: a slice with the objective, labels and alert class', () => {
    const [slice] = parseOpenSlo(example('good-total.yaml'));
    expect(slice).toEqual({
      name: 'checkout_availability', description: 'Checkout requests that do not fail', objective: 99.5, period: '30d', alert: 'page',
      runbookUrl: 'https://runbooks.example.com/checkout', labels: { team: 'payments' },
      sli: {
        kind: 'event-ratio',
        total: { metric: 'parapet_http_server_requests_total', matchers: { route: '/checkout' } },
        good: { metric: 'parapet_http_server_requests_total', matchers: { route: '/checkout', status_class: ['2xx', '3xx', '4xx'] } },
      },
    });
    expect(() => resolveSlices([defineProvider('openslo', [slice!])])).not.toThrow();
  });

  it('bad/total through an SLI object and a DataSource ref, grouped, 4w, ticket only', () => {
    const [slice] = parseOpenSlo(example('bad-total.yaml'));
    expect(slice).toMatchObject({
      name: 'email_jobs', objective: 99, period: '28d', alert: 'ticket', groupBy: ['queue'],
      sli: { kind: 'event-ratio', total: { metric: 'parapet_job_runs_total' }, bad: { metric: 'parapet_job_runs_total', matchers: { outcome: 'failed' } } },
    });
    expect(() => resolveSlices([defineProvider('openslo', [slice!])])).not.toThrow();
  });

  it('rejects a raw ratio naming the object and the field', () => {
    expect(() => parseOpenSlo(example('raw-ratio.yaml'), { source: 'raw-ratio.yaml' })).toThrow(
      'raw-ratio.yaml: SLO "search-success" (document 1): spec.indicator.spec.ratioMetric.raw: raw ratios are not supported',
    );
  });

  it('rejects invalid objects and what Parapet cannot express, one line per problem naming object and field', () => {
    let problems: readonly string[] = [];
    try {
      parseOpenSlo(example('invalid.yaml'));
    } catch (error) {
      problems = (error as { problems: readonly string[] }).problems;
    }
    const expected = [
      'SLO "Latency_Threshold" (document 1): metadata.name: must be an RFC 1123 label',
      'SLO "timeslice-budget" (document 2): spec.budgetingMethod: Timeslices budgeting is not supported',
      'SLO "timeslice-budget" (document 2): spec.timeWindow[0].calendar: calendar windows are not supported',
      'SLO "both-good-and-bad" (document 3): spec.indicator.spec.ratioMetric.bad: exactly one of good and bad',
      'SLO "both-good-and-bad" (document 3): spec.objectives[0].target: target must be in [0, 1)',
      'SLO "datadog-source" (document 4): spec.indicator.spec.ratioMetric.good.metricSource.type: must be Prometheus',
      'SLO "old-format" (document 5): apiVersion: must be "openslo/v1", got "openslo/v1alpha"',
    ];
    for (const line of expected) expect(problems.some((p) => p.startsWith(line)), `${line}\n--- got:\n${problems.join('\n')}`).toBe(true);
  });

  it('rejects a threshold metric naming the field (valid name)', () => {
    const text = example('invalid.yaml').split('---')[0]!.replace('Latency_Threshold', 'latency-threshold') + '\n';
    expect(() => parseOpenSlo(text)).toThrow(/SLO "latency-threshold" \(document 1\): spec.indicator.spec.thresholdMetric: threshold metrics are not supported/);
  });
});

describe('parapet gen openslo / parapet import openslo', () => {
  it('exports the config and imports the file back into a provider module', async () => {
    const dir = scratch();
    const configPath = write(dir, 'parapet.config.ts', "import { defineConfig } from '@parapet/core';\nimport { webSaas } from '@parapet/starter-pack-web-saas';\nexport default defineConfig({ providers: [webSaas()] });\n");
    const gen = await parapet(['gen', 'openslo', '--config', configPath, '--out', join(dir, 'openslo')], dir);
    expect(gen.stderr).toBe('');
    expect(gen.code).toBe(0);
    const yaml = readFileSync(join(dir, 'openslo', 'slos.yaml'), 'utf8');
    expect(parseAllDocuments(yaml).length).toBe(4);
    const imp = await parapet(['import', 'openslo', join(dir, 'openslo', 'slos.yaml'), '--out', join(dir, 'slos.ts')], dir);
    expect(imp.stderr).toBe('');
    expect(imp.stdout).toContain('4 slices');
    expect(readFileSync(join(dir, 'slos.ts'), 'utf8')).toContain("defineProvider('openslo'");
    const bad = await parapet(['import', 'openslo', join(packageDir, 'test', 'openslo', 'raw-ratio.yaml')], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('spec.indicator.spec.ratioMetric.raw');
    void parse;
  }, 60_000);
});
