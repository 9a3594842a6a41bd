import { BASE_WINDOW } from '../conventions.js';
import { durationMinutes, formatMinutes } from './duration.js';
import type { SloPeriod, WindowProfile } from './spec.js';

/**
 * SRE workbook ch. 5 multi-window multi-burn-rate parameters. Burn rates are relative to the
 * budget, so they stay as published for both 28d and 30d periods.
 */
export const workbookWindows: WindowProfile = Object.freeze({
  page: Object.freeze([
    Object.freeze({ long: '1h', short: '5m', burnRate: 14.4 }),
    Object.freeze({ long: '6h', short: '30m', burnRate: 6 }),
  ]),
  ticket: Object.freeze([
    Object.freeze({ long: '1d', short: '2h', burnRate: 3 }),
    Object.freeze({ long: '3d', short: '6h', burnRate: 1 }),
  ]),
});


/** Windows to record, ascending, always including the base window and the SLO period. */
export function recordedWindows(profile: WindowProfile, period: SloPeriod): string[] {
  const minutes = new Set<number>([durationMinutes(BASE_WINDOW), durationMinutes(period)]);
  for (const pair of [...profile.page, ...profile.ticket]) {
    minutes.add(durationMinutes(pair.long));
    minutes.add(durationMinutes(pair.short));
  }
  return [...minutes].sort((a, b) => a - b).map(formatMinutes);
}

/**
 * A short profile for demos and end-to-end tests: a page fires within minutes of a fast burn
 * (10m/5m at the workbook's 14.4x) and resolves minutes after it stops. The shortest pairs the
 * model allows (every window is whole 5m tiles, short < long). Never for production: a 10m
 * window pages on blips the workbook profile rightly ignores.
 */
export const shortWindows: WindowProfile = Object.freeze({
  page: Object.freeze([Object.freeze({ long: '10m', short: '5m', burnRate: 14.4 })]),
  ticket: Object.freeze([Object.freeze({ long: '30m', short: '5m', burnRate: 6 })]),
});
