import { describe, expect, it } from 'vitest';
import { goFixed, humanize, humanizePercentage } from './go-format.js';
import { simulate } from './simulate.js';
import { fixtureSlices } from '../../../test/slo-fixtures.js';
import { workbookWindows } from '../model/windows.js';

const [login] = fixtureSlices();
const steady = (length: number, from: number, perMinute: number, badPerMinute: number) => ({
  length,
  total: Array.from({ length }, (_, m) => (m === 0 ? 0 : perMinute)),
  bad: Array.from({ length }, (_, m) => (m > from ? badPerMinute : 0)),
});

describe('rule model used to predict alert times', () => {
  it('pages a 28.8x burn close to the workbook closed form t = L * k / b (60m * 14.4 / 28.8 = 30m)', () => {
    const sim = simulate({ slice: login!, windows: workbookWindows, traffic: steady(500, 360, 10_000, 288), until: 499 });
    let fired = -1;
    for (let t = 365; t < 500 && fired < 0; t += 5) if (sim.page(t).firing) fired = t - 360;
    // The 1h window ends at the newest 5m tile boundary, and the 5m window must agree too.
    expect(fired).toBeGreaterThanOrEqual(30);
    expect(fired).toBeLessThanOrEqual(40);
  });

  it('needs minBadEvents in the long window before paging', () => {
    const single = { length: 400, total: Array.from({ length: 400 }, (_, m) => (m === 0 ? 0 : 1)), bad: Array.from({ length: 400 }, (_, m) => (m === 361 ? 1 : 0)) };
    const sim = simulate({ slice: login!, windows: workbookWindows, traffic: single, until: 399 });
    expect(sim.burnRate('1h', 365)! > 14.4 && sim.burnRate('5m', 365)! > 14.4).toBe(true);
    expect(sim.badEvents('1h', 365)).toBe(1);
    expect(sim.page(365).firing).toBe(false);
  });
});

describe('Prometheus template formatting', () => {
  it('matches Go %.4g with SI prefixes', () => {
    expect(humanize(15.5123)).toBe('15.51');
    expect(humanize(1.005)).toBe('1.005');
    expect(humanize(20)).toBe('20');
    expect(humanize(1234.5)).toBe('1.234k');
    expect(humanize(0.0123)).toBe('12.3m');
    expect(humanizePercentage(0.02553)).toBe('2.553%');
    expect(humanizePercentage(13.7)).toBe('1370%');
  });

  it('matches Go %.1f, ties to even on the exact binary value', () => {
    expect(goFixed(100000, 1)).toBe('100000.0');
    expect(goFixed(15790.24, 1)).toBe('15790.2');
    expect(goFixed(0.25, 1)).toBe('0.2'); // exact tie, even neighbour
    expect(goFixed(0.75, 1)).toBe('0.8');
    expect(goFixed(0.45, 1)).toBe('0.5'); // 0.45 is 0.4500000000000000111 in binary: not a tie
    expect(goFixed(0.35, 1)).toBe('0.3'); // 0.34999999999999997780
    expect(goFixed(2.5, 0)).toBe('2');
    expect(goFixed(-0.25, 1)).toBe('-0.2');
  });
});
