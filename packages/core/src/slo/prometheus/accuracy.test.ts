import { describe, expect, it } from 'vitest';
import { needs } from '@parapet/vitest-preset/services';
import { expandingNotation } from '../promtool/example-series.js';
import { alertGroup, recordingGroup } from './rules.js';
import { fixtureSlices, tempDir, tool, writeFiles } from '../../../test/slo-fixtures.js';
import { toYaml } from '../internal/yaml.js';

/**
 * The long-window ratio must be a ratio of sums. Traffic whose rate changes 100x is where an
 * average of 5m ratios breaks (6h busy then 6h quiet, and the reverse); the recorded windows must stay within 1% of the exact ratio.
 */
const [login] = fixtureSlices();
const cumulative = (perMinute: (m: number) => number) => {
  let sum = 0;
  return Array.from({ length: 721 }, (_, m) => (m === 0 ? 0 : (sum += perMinute(m))));
};
const patterns = {
  'busy and failing, then quiet and healthy': { success: (m: number) => (m <= 360 ? 950 : 10), failure: (m: number) => (m <= 360 ? 50 : 0) },
  'busy and healthy, then quiet and failing': { success: (m: number) => (m <= 360 ? 1000 : 9), failure: (m: number) => (m <= 360 ? 0 : 1) },
};
const exact = (w: string) => `(sum(increase(parapet_journey_steps_total{outcome="failure"}[${w}])) / sum(increase(parapet_journey_steps_total[${w}])))`;
const within1pct = (recorded: string, w: string) => `abs(${recorded} / on() ${exact(w)} - 1) < bool 0.01`;

describe.skipIf(!(await needs('promtool')))('long-window accuracy under 100x traffic changes', () => {
  it.each(Object.entries(patterns))('%s: recorded 1d and 30d error ratios stay within 1% of the exact ratio; averaged 5m ratios do not', async (name, p) => {
    const dir = tempDir();
    const tests = [{
      name,
      interval: '1m',
      input_series: [
        { series: 'parapet_journey_steps_total{journey="login",outcome="success"}', values: expandingNotation(cumulative(p.success)) },
        { series: 'parapet_journey_steps_total{journey="login",outcome="failure"}', values: expandingNotation(cumulative(p.failure)) },
      ],
      promql_expr_test: ['6h30m', '9h', '12h'].flatMap((at) => [
        ...['1d', '30d'].map((w) => ({ expr: within1pct(`parapet_slo:error_ratio:${w}{slo="login_journey"}`, w), eval_time: at, exp_samples: [{ labels: '{}', value: 1 }] })),
        // Control: the same traffic breaks an average of ratios, so the check above means something.
        { expr: `abs(avg_over_time(parapet_slo:error_ratio:5m{slo="login_journey"}[1d:5m]) / on() ${exact('1d')} - 1) > bool 0.01`, eval_time: at, exp_samples: [{ labels: '{}', value: 1 }] },
      ]),
    }];
    writeFiles(dir, {
      'rules.yml': toYaml({ groups: [recordingGroup(login!), alertGroup(login!)] }),
      // Production cadence (1m): the windows do not depend on the evaluation interval.
      'accuracy.test.yml': toYaml({ rule_files: ['rules.yml'], evaluation_interval: '1m', tests }),
    });
    const { code, output } = await tool('promtool', ['test', 'rules', 'accuracy.test.yml'], dir);
    expect(output).toContain('SUCCESS');
    expect(code).toBe(0);
  }, 60_000);
});
