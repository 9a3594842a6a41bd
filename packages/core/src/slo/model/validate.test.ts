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

describe('type errors say the type is wrong', () => {
  it('an objective given as a string is a type error, not "out of range", and shows the fix', () => {
    const [p] = problemsOf({ objective: '99.9' as unknown as number });
    expect(p).toBe('slice "login_journey" (from my-provider): objective: must be a number (a percentage of good events such as 99.9), got the string "99.9". Write it without quotes: objective: 99.9.');
    expect(p).not.toContain('outside');
  });

  it.each([
    ['minBadEvents', { minBadEvents: '5' }, 'minBadEvents: must be a number'],
    ['noDataFor', { noDataFor: 10 }, 'noDataFor: must be a duration string such as "10m", got the number 10'],
    ['groupBy', { groupBy: 'route' }, 'groupBy: must be an array of label names'],
    ['labels', { labels: ['team'] }, 'labels: must be an object of label names to strings, e.g. { team: "web" }, got an array'],
    ['name', { name: 42 }, 'name: must be a string'],
    ['alert', { alert: true }, 'alert: must be "page", "ticket" or "none", got the boolean true'],
  ] as const)('%s', (_, spec, message) => {
    expect(problemsOf(spec as unknown as Partial<SliceSpec>).join('\n')).toContain(message);
  });

  it('a slice that is not an object names its provider', () => {
    expect(problemsOf([null as unknown as SliceSpec])).toEqual(['my-provider: slices() returned null where a slice object ({ name, objective, alert, runbookUrl, sli, ... }) belongs.']);
  });

  it('the config shape is checked by key: unknown keys and wrong types name the option', () => {
    expect(() => defineConfig({ providers: [], windws: {} } as unknown as Parameters<typeof defineConfig>[0])).toThrow(/unknown option "windws" \(did you mean "windows"\?\)/);
    expect(() => resolveConfig({ providers: [], minBadEvents: '5' } as unknown as Parameters<typeof defineConfig>[0])).toThrow(SloSpecError);
    expect(() => resolveConfig({ providers: [], minBadEvents: '5' } as unknown as Parameters<typeof defineConfig>[0])).toThrow(/option "minBadEvents" must be a number, got/);
  });
});

describe('config version', () => {
  it('defaults to parapet/v1 and rejects versions it does not know', () => {
    expect(resolveConfig({ providers: [] }).version).toBe('parapet/v1');
    expect(resolveConfig({ version: 'parapet/v1', providers: [] }).version).toBe('parapet/v1');
    expect(() => defineConfig({ version: 'parapet/v2' as 'parapet/v1', providers: [] })).toThrow(/version: the string "parapet\/v2" is not a config version this Parapet understands; use "parapet\/v1"/);
  });
});

describe('generated-name collisions', () => {
  it('rejects two slices whose alert names coincide, naming both slices and providers', () => {
    const problems = problemsOf([], [defineProvider('pack-a', [{ ...base, name: 'api_v2' }]), defineProvider('pack-b', [{ ...base, name: 'api__v2' }])]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('slices "api_v2" (from pack-a) and "api__v2" (from pack-b) both generate the alert name "ApiV2BudgetBurnPage"');
  });

  it('catches digits after an underscore too (a_1 and a1)', () => {
    expect(problemsOf([{ ...base, name: 'queue_1' }, { ...base, name: 'queue1' }])[0]).toContain('both generate the alert name "Queue1BudgetBurnPage"');
  });
});

describe('NoData severity', () => {
  it('defaults to ticket, can page for paging slices only', () => {
    const [login] = resolveConfig(defineConfig({ providers: [defineProvider('p', [base])] })).slices;
    expect(login!.noDataSeverity).toBe('ticket');
    expect(problemsOf({ noDataSeverity: 'page' })).toEqual([]);
    expect(problemsOf({ noDataSeverity: 'page', alert: 'ticket' }).join('\n')).toContain('noDataSeverity: "page" needs alert: "page"');
    expect(problemsOf({ noDataSeverity: 'critical' as 'page' }).join('\n')).toContain('noDataSeverity: must be "page" or "ticket", got the string "critical"');
  });
});

describe('SloSpecError', () => {
  it('is a ParapetError with code SLO_SPEC and the problems as details', async () => {
    const { ParapetError } = await import('../../errors/parapet-error.js');
    const error = new SloSpecError(['x: y']);
    expect(error).toBeInstanceOf(ParapetError);
    expect(error.code).toBe('SLO_SPEC');
    expect(error.exitCode).toBe(1);
    expect(error.toJSON().error.details).toEqual({ problems: ['x: y'] });
    expect(error.name).toBe('SloSpecError');
  });
});
