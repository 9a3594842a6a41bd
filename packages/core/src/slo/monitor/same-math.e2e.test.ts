/** Same math, proven, on the SRE workbook windows (3-day ticket windows: slow tier). */
import { describe, expect, it } from 'vitest';
import { needs } from '@parapet/vitest-preset/services';
import { workbookWindows } from '../model/windows.js';
import { runSameMath } from '../../../test/monitor-same-math.js';

describe.skipIf(!(await needs('promtool')))('the monitor matches promtool on the workbook windows', () => {
  it('generator scenarios, every slice kind', async () => {
    const { dir, checks, firing, results } = await runSameMath(workbookWindows, 0);
    for (const r of results) expect(r.output, `${r.slice} (files in ${dir})`).toContain('SUCCESS');
    expect(checks).toBeGreaterThan(200);
    expect(firing).toBeGreaterThan(20);
  }, 180_000);
});
