import { describe, expect, it } from 'vitest';
import { needs } from '@parapet/vitest-preset/services';
import { fixtureSlices, tempDir, tool, writeFiles } from '../../../test/slo-fixtures.js';
import { generatedHeader, toYaml } from '../internal/yaml.js';
import { durationMinutes } from '../model/duration.js';
import { expandingNotation } from '../promtool/example-series.js';
import { alertGroup, recordingGroup, windowRange } from './rules.js';

/**
 * Every window must hold exactly its length: window/5m tiles, at evaluations on a 5-minute
 * boundary and between them. The traffic changes rate and error ratio at minute CHANGE, so a
 * window that holds one tile too many (what `[w:5m]` did on Prometheus 2.x at aligned instants)
 * is far off the exact ratio.
 */
const [login] = fixtureSlices();
const CHANGE = 400;
const LENGTH = 800;
const perMinute = (m: number) => (m <= CHANGE ? { total: 1000, bad: 100 } : { total: 100, bad: 1 });
const cumulative = (key: 'total' | 'bad') => {
  let sum = 0;
  return Array.from({ length: LENGTH + 1 }, (_, m) => (m === 0 ? 0 : (sum += perMinute(m)[key])));
};
const total = cumulative('total');
const bad = cumulative('bad');

/** The exact ratio over the last full tiles: (p - window, p], p the newest tile at or before t. */
function exactRatio(window: string, t: number): number {
  const p = Math.floor(t / 5) * 5;
  const w = durationMinutes(window);
  return (bad[p]! - bad[p - w]!) / (total[p]! - total[p - w]!);
}

const windows = ['30m', '1h', '6h'];
// For each window: the window starts exactly at the change (aligned), 1-4 minutes later
// (unaligned), and straddles it (aligned and unaligned).
const instants = (window: string) => {
  const w = durationMinutes(window);
  return [CHANGE + w, CHANGE + w + 1, CHANGE + w + 2, CHANGE + w + 4, CHANGE + w / 2, CHANGE + w / 2 + 3];
};
const within = (expr: string, expected: number) => `abs(${expr} - ${expected}) < bool 1e-12`;

describe('window ranges', () => {
  it('are the window minus 30 seconds: strictly between window - 1m and window', () => {
    expect(['30m', '1h', '6h', '1d', '3d', '30d'].map(windowRange)).toEqual(['29m30s', '59m30s', '5h59m30s', '23h59m30s', '2d23h59m30s', '29d23h59m30s']);
  });
});

describe.skipIf(!(await needs('promtool')))('every window holds exactly its length (promtool 2.42, 1m evaluations)', () => {
  it('gives the exact ratio at aligned and unaligned instants when the rate changes across the window edge; [w:5m] did not', async () => {
    const dir = tempDir();
    const checks = windows.flatMap((w) => instants(w).map((t) => ({ w, t, expected: exactRatio(w, t) })));
    // The control must differ from the exact ratio by more than 1% somewhere, or it proves nothing.
    const oldAligned = (w: string) => `(sum_over_time(parapet_slo:bad:increase5m{slo="login_journey"}[${w}:5m]) / sum_over_time(parapet_slo:total:increase5m{slo="login_journey"}[${w}:5m]))`;
    const tests = [{
      name: 'rate and ratio change at minute 400',
      interval: '1m',
      input_series: [
        { series: 'parapet_journey_steps_total{journey="login",outcome="success"}', values: expandingNotation(total.map((v, m) => v - bad[m]!)) },
        { series: 'parapet_journey_steps_total{journey="login",outcome="failure"}', values: expandingNotation(bad) },
      ],
      promql_expr_test: [
        ...checks.map(({ w, t, expected }) => ({
          expr: within(`parapet_slo:error_ratio:${w}{slo="login_journey"}`, expected),
          eval_time: `${t}m`,
          exp_samples: [{ labels: '{slo="login_journey"}', value: 1 }],
        })),
        ...windows.map((w) => ({
          expr: `abs(${oldAligned(w)} / ${exactRatio(w, CHANGE + durationMinutes(w))} - 1) > bool 0.01`,
          eval_time: `${CHANGE + durationMinutes(w)}m`,
          exp_samples: [{ labels: '{slo="login_journey"}', value: 1 }],
        })),
      ],
    }];
    writeFiles(dir, {
      'rules.yml': generatedHeader('test') + toYaml({ groups: [recordingGroup(login!), alertGroup(login!)] }),
      'windows.test.yml': toYaml({ rule_files: ['rules.yml'], evaluation_interval: '1m', tests }),
    });
    const { code, output } = await tool('promtool', ['test', 'rules', 'windows.test.yml'], dir);
    expect(output).toContain('SUCCESS');
    expect(code).toBe(0);
    // The instants really are both kinds, and the ratios really differ across them.
    expect(checks.some((c) => c.t % 5 === 0) && checks.some((c) => c.t % 5 !== 0)).toBe(true);
    expect(new Set(checks.map((c) => c.expected.toFixed(6))).size).toBeGreaterThan(1);
  }, 60_000);
});
