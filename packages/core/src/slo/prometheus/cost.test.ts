import { describe, expect, it } from 'vitest';
import { costOfExpressions, formatCostReport, sloCostReport } from './cost.js';
import { fixtureSlices } from '../../../test/slo-fixtures.js';

describe('cost report', () => {
  it('counts raw window-minutes per hour: two 5m reads per evaluation, every slice under 1,000', () => {
    const costs = sloCostReport(fixtureSlices());
    for (const c of costs) {
      expect(c.rawWindowMinutesPerHour).toBe(600);
      expect(c.rawReads.map((r) => r.minutes)).toEqual([5, 5]);
      expect(c.rawWindowMinutesPerHour).toBeLessThan(1000);
    }
    expect(formatCostReport(costs)).toMatch(/login_journey\s+41\s+2\s+600/);
  });

  it('would count a raw long-window rule and ignore recorded series', () => {
    expect(costOfExpressions(['sum(rate(http_requests_total{code=~"5.."}[3d]))'])).toEqual([{ selector: 'http_requests_total{code=~"5.."}', minutes: 4320 }]);
    expect(costOfExpressions(['sum_over_time(parapet_slo:bad:increase5m{slo="x"}[30d:5m])'])).toEqual([]);
    expect(costOfExpressions(['sum(sum_over_time((queue_age > bool 300)[5m:1m]))'])).toEqual([{ selector: 'queue_age', minutes: 5 }]);
  });
});
