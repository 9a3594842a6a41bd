import { errorBudget } from '../model/decimal.js';
import { durationMinutes } from '../model/duration.js';
import type { BurnRatePair, WindowProfile } from '../model/spec.js';
import type { ResolvedSlice } from '../model/spec.js';

/**
 * An independent model of what Prometheus 2.x computes from the generated rules, minute by
 * minute, for synthetic traffic. Generated unit tests use it to predict the exact minute an
 * alert fires; promtool then checks the real rules against that prediction.
 */
export interface Traffic {
  /** Samples exist at minutes 0..length-1; with `stale`, a staleness marker follows. */
  readonly length: number;
  readonly stale?: boolean;
  /** Event kinds: new total and bad events per minute (index 0 must be 0). */
  readonly total?: readonly number[];
  readonly bad?: readonly number[];
  /** Freshness: whether the gauge's age exceeds the threshold at each minute. */
  readonly staleMinute?: readonly boolean[];
}

export interface AlertState {
  readonly firing: boolean;
  readonly value?: number;
}

export interface Simulation {
  page(t: number): AlertState;
  ticket(t: number): AlertState;
  noData(t: number): boolean;
  burnRate(window: string, t: number): number | undefined;
  errorRatio(window: string, t: number): number | undefined;
  badEvents(window: string, t: number): number | undefined;
  budgetConsumed(t: number): number | undefined;
}

function cumulative(perMinute: readonly number[]): number[] {
  let sum = 0;
  return perMinute.map((v) => (sum += v));
}

/** increase(x[5m]) at minute t in Prometheus 2.x (closed range, extrapolation at the edges). */
function increase5m(c: readonly number[], length: number, t: number): number | undefined {
  const first = Math.max(0, t - 5);
  const last = Math.min(t, length - 1);
  if (last - first < 1) return undefined;
  const result = c[last]! - c[first]!;
  const sampled = last - first;
  let toStart = first - (t - 5);
  const toEnd = t - last;
  if (result > 0 && c[first]! >= 0) toStart = Math.min(toStart, sampled * (c[first]! / result));
  const threshold = 1.1;
  let interval = sampled;
  interval += toStart < threshold ? toStart : 0.5;
  interval += toEnd < threshold ? toEnd : 0.5;
  return result * (interval / sampled);
}

/** Evaluates every `step` minutes (multiples of it), as promtool does with that evaluation_interval. */
export interface SimulateArgs {
  readonly slice: ResolvedSlice;
  readonly windows: WindowProfile;
  readonly traffic: Traffic;
  /** Last minute to model. */
  readonly until: number;
  /** Evaluation interval in minutes (generated tests use 5). Default 5. */
  readonly step?: number;
}

export function simulate({ slice, windows: profile, traffic, until, step = 5 }: SimulateArgs): Simulation {
  const budget = Number(errorBudget(slice.objective));
  const tot5: (number | undefined)[] = [];
  const bad5: (number | undefined)[] = [];
  const freshness = slice.sli.kind === 'freshness';
  const ct = cumulative(traffic.total ?? []);
  const cb = cumulative(traffic.bad ?? []);
  for (let t = 0; t <= until; t++) {
    if (t % step !== 0) {
      tot5.push(undefined);
      bad5.push(undefined);
    } else if (freshness) {
      // Subquery [5m:1m]: points at t-5..t (closed range), each present while the gauge is.
      let total = 0;
      let bad = 0;
      for (let p = Math.max(0, t - 5); p <= t; p++) {
        if (p < traffic.length) {
          total++;
          if (traffic.staleMinute![p]) bad++;
        }
      }
      tot5.push(total > 0 ? total : undefined);
      bad5.push(total > 0 ? bad : undefined);
    } else {
      const total = increase5m(ct, traffic.length, t);
      tot5.push(total);
      const bad = increase5m(cb, traffic.length, t);
      bad5.push(total === undefined ? undefined : (bad ?? 0));
    }
  }
  const windowSum = (rec: (number | undefined)[], w: string, t: number): number | undefined => {
    const minutes = durationMinutes(w);
    if (minutes === 5) return rec[t];
    // Tiles are the 5m increases recorded at minutes divisible by 5; the range (w - 30s) holds
    // those in (t - w, t], the same under Prometheus 2.x and 3.x.
    let sum: number | undefined;
    for (let p = Math.max(0, (Math.floor((t - minutes) / 5) + 1) * 5); p <= t; p += 5) {
      const v = rec[p];
      if (v !== undefined) sum = (sum ?? 0) + v;
    }
    return sum;
  };
  const cache = new Map<string, number | undefined>();
  const memo = (key: string, f: () => number | undefined) => {
    if (!cache.has(key)) cache.set(key, f());
    return cache.get(key);
  };
  const badEvents = (w: string, t: number) => memo(`b${w}@${t}`, () => windowSum(bad5, w, t));
  const errorRatio = (w: string, t: number) =>
    memo(`e${w}@${t}`, () => {
      const total = windowSum(tot5, w, t);
      const bad = badEvents(w, t);
      return total === undefined || bad === undefined || !(total > 0) ? undefined : bad / total;
    });
  const burnRate = (w: string, t: number) => {
    const e = errorRatio(w, t);
    return e === undefined ? undefined : e / budget;
  };
  const pairValue = (pair: BurnRatePair, t: number): number | undefined => {
    const long = burnRate(pair.long, t);
    const short = burnRate(pair.short, t);
    const bad = badEvents(pair.long, t);
    return long !== undefined && short !== undefined && bad !== undefined && long > pair.burnRate && short > pair.burnRate && bad >= slice.minBadEvents ? long : undefined;
  };
  const alert = (pairs: readonly BurnRatePair[], t: number): AlertState => {
    for (const pair of pairs) {
      const value = pairValue(pair, t);
      if (value !== undefined) return { firing: true, value };
    }
    return { firing: false };
  };
  const noDataFor = durationMinutes(slice.noDataFor);
  return {
    page: (t) => (slice.alert === 'page' ? alert(profile.page, t) : { firing: false }),
    ticket: (t) => (slice.alert === 'none' ? { firing: false } : alert(profile.ticket, t)),
    noData: (t) => {
      // Pending from the first evaluation of an unbroken absent run; fires once `for` has passed.
      if (t % step !== 0 || tot5[t] !== undefined) return false;
      let since = t;
      while (since - step >= 0 && tot5[since - step] === undefined) since -= step;
      return t - since >= noDataFor;
    },
    burnRate,
    errorRatio,
    badEvents,
    budgetConsumed: (t) => {
      const e = errorRatio(slice.period, t);
      return e === undefined ? undefined : 1 - (1 - e / budget);
    },
  };
}
