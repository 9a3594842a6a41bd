import { describe, expect, it } from 'vitest';
import { defineConfig, defineProvider, resolveConfig } from './define.js';
import type { SliceSpec } from './spec.js';
import { SloSpecError } from './spec-error.js';
import { fixtureSpecs } from '../../../test/slo-fixtures.js';

const base = fixtureSpecs[0]!;
function problemsOf(spec: Partial<SliceSpec> | SliceSpec[], providers = [defineProvider('my-provider', Array.isArray(spec) ? spec : [{ ...base, ...spec } as SliceSpec])]): string[] {
  try {
    resolveConfig(defineConfig({ providers }));
  } catch (error) {
    if (error instanceof SloSpecError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('slice validation', () => {
  it('accepts the fixtures', () => {
    expect(problemsOf(fixtureSpecs)).toEqual([]);
  });

  it('rejects objective 100 (no budget), naming slice and field', () => {
    const [p] = problemsOf({ objective: 100 });
    expect(p).toContain('slice "login_journey" (from my-provider): objective:');
    expect(p).toContain('0 < objective < 100');
  });

  it('rejects a bad selector equal to total', () => {
    const sli = { kind: 'event-ratio' as const, total: { metric: 'parapet_journey_steps_total', matchers: { journey: 'login' } }, bad: { metric: 'parapet_journey_steps_total', matchers: { journey: 'login' } } };
    expect(problemsOf({ sli }).join('\n')).toMatch(/sli.bad: selects the same series as sli.total/);
  });

  it('rejects a bad selector that is not a subset of total', () => {
    const sli = { kind: 'event-ratio' as const, total: { metric: 'parapet_journey_steps_total', matchers: { journey: 'login', outcome: 'success' } }, bad: { metric: 'parapet_journey_steps_total', matchers: { journey: 'login', outcome: 'failure' } } };
    expect(problemsOf({ sli }).join('\n')).toMatch(/sli.bad.matchers: must select a subset of sli.total; repeat or narrow the total matcher\(s\) outcome="success"/);
  });

  it('rejects a page alert that can never fire (14.4 x budget >= 1)', () => {
    const [p] = problemsOf({ objective: 93 });
    expect(p).toMatch(/objective: 93 leaves a budget of 0.07; the page condition needs an error ratio above 14.4 x 0.07 = 1.008/);
    expect(p).toContain('use alert: "ticket"');
    expect(problemsOf({ objective: 93, alert: 'ticket' })).toEqual([]);
  });

  it('rejects a latency threshold that is not a bucket, and treats le="1" and "1.0" alike', () => {
    const sli = { kind: 'latency' as const, metric: 'parapet_http_server_request_duration_seconds', threshold: 0.3 };
    const [p] = problemsOf({ sli });
    expect(p).toContain('sli.threshold: 0.3 is not a bucket boundary of parapet_http_server_request_duration_seconds');
    expect(p).toContain('0.25, 0.5');
    expect(problemsOf({ sli: { ...sli, threshold: '1.0' } })).toEqual([]);
    expect(problemsOf({ sli: { ...sli, threshold: 1 } })).toEqual([]);
  });

  it('rejects label values the catalog never emits (e.g. a job outcome "discard")', () => {
    const sli = { kind: 'event-ratio' as const, total: { metric: 'parapet_job_runs_total' }, bad: { metric: 'parapet_job_runs_total', matchers: { outcome: 'discard' } } };
    expect(problemsOf({ sli }).join('\n')).toContain('sli.bad.matchers.outcome: "discard" is never emitted for parapet_job_runs_total');
  });

  it('rejects unknown labels, wrong metric types, missing runbooks and reserved labels', () => {
    const all = problemsOf({
      runbookUrl: '',
      groupBy: ['tenant'],
      labels: { severity: 'high' },
      sli: { kind: 'latency', metric: 'parapet_journey_steps_total', threshold: 1 },
    }).join('\n');
    expect(all).toContain('runbookUrl: is required');
    expect(all).toContain('labels.severity: is reserved');
    expect(all).toContain('"parapet_journey_steps_total" is a counter in Parapet\'s catalog; this SLI needs a histogram');
    expect(problemsOf({ groupBy: ['tenant'] }).join('\n')).toContain('groupBy: "parapet_journey_steps_total" has no label "tenant"');
  });

  it('rejects names that are not Prometheus-safe', () => {
    expect(problemsOf({ name: 'Login-Journey' })[0]).toContain('name: "Login-Journey" must be snake_case');
  });

  it('names both providers when a slice name is duplicated', () => {
    const problems = problemsOf([], [defineProvider('pack-a', [base]), defineProvider('pack-b', [base])]);
    expect(problems).toEqual([
      'slice "login_journey" is defined twice: by pack-a and by pack-b. Slice names must be unique; remove one provider or rename the slice.',
    ]);
  });

  it('reports a provider whose slices() throws', () => {
    const broken = { name: 'broken-pack', slices: () => { throw new Error('boom'); } };
    expect(problemsOf([], [broken])).toEqual(['broken-pack: slices() threw: boom']);
  });

  it('rejects window profiles that are not built from 5m tiles', () => {
    expect(() => resolveConfig({ providers: [], windows: { page: [{ long: '1h', short: '7m', burnRate: 14.4 }], ticket: [] } })).toThrow(/windows.page\[0\].short: 7m is not a multiple of 5m/);
  });
});
