/**
 * Same math, proven (fast tier): identical input series go to promtool running the generated
 * rules and to the in-process monitor, across the generator's scenarios (healthy, fast burn, slow
 * burn, low traffic, outage, no data, counter reset) plus randomized ones, on a short window
 * profile; at every evaluation where the monitor's decision is stable for one interval either
 * side, promtool must report exactly its alerts. The workbook profile runs in
 * same-math.e2e.test.ts (slow tier).
 */
import { describe, expect, it } from 'vitest';
import { needs } from '@parapet/vitest-preset/services';
import { fixtureSlices, tempDir, tool, writeFiles } from '../../../test/slo-fixtures.js';
import { monitorDecisions, perMinute, promtoolTest, runSameMath, seriesFor, shortProfile, type Scenario } from '../../../test/monitor-same-math.js';

describe.skipIf(!(await needs('promtool')))('the monitor decides exactly what promtool decides from the generated rules', () => {
  it('short windows: generator scenarios and randomized ones, every slice kind', async () => {
    const { dir, checks, firing, results } = await runSameMath(shortProfile, 6);
    for (const r of results) expect(r.output, `${r.slice} (files in ${dir})`).toContain('SUCCESS');
    expect(checks).toBeGreaterThan(200);
    // The scenarios exercise firing alerts, not only silence.
    expect(firing).toBeGreaterThan(50);
  }, 60_000);

  it('negative control: a monitor with a wrong guard disagrees with promtool', async () => {
    const slice = fixtureSlices().find((s) => s.name === 'login_journey')!;
    const wrong = { ...slice, minBadEvents: 1 };
    // One failure at 1 event/min: the real guard (5) stays silent, a guard of 1 pages.
    const sc: Scenario = {
      name: 'one failure at low traffic',
      series: seriesFor(slice, { length: 240, total: perMinute(240, () => 1), bad: perMinute(240, (m) => (m === 121 ? 1 : 0)) }),
      until: 239,
    };
    const test = promtoolTest(slice, [sc], () => monitorDecisions(wrong, shortProfile, sc), shortProfile);
    const dir = tempDir('parapet-monitor-neg-');
    writeFiles(dir, test.files);
    const r = await tool('promtool', ['test', 'rules', `${slice.name}.test.yml`], dir);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('FAILED');
  });
});
