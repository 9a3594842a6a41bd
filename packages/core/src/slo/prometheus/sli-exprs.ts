import { renderSelector, sumBy } from './promql.js';
import type { ResolvedSlice } from '../model/spec.js';
import { BASE_WINDOW, EVALUATION_INTERVAL, SLO_LABEL, SLO_SERIES } from '../conventions.js';

/**
 * The only expressions that read raw series: events in the last 5m, once for total and once
 * for bad (or good). Every longer window is built from these recordings.
 */
export function totalIncreaseExpr(slice: ResolvedSlice): string {
  const { sli, groupBy } = slice;
  switch (sli.kind) {
    case 'event-ratio':
      return sumBy(groupBy, `increase(${renderSelector(sli.total.metric, sli.total.matchers)}[${BASE_WINDOW}])`);
    case 'latency':
      return sumBy(groupBy, `increase(${renderSelector(`${sli.metric}_count`, sli.matchers)}[${BASE_WINDOW}])`);
    case 'freshness':
      // Events are one-minute time slices in which the gauge was reported.
      return sumBy(groupBy, `count_over_time(${renderSelector(sli.metric, sli.matchers)}[${BASE_WINDOW}:${EVALUATION_INTERVAL}])`);
  }
}

/**
 * The good or bad events in the last 5m as the generated expressions read them from raw series
 * (before the `or 0 * total` guard): what OpenSLO export writes as `good`/`bad`. Freshness has
 * no narrow counter; its bad expression is `badIncreaseExpr`.
 */
export function narrowIncreaseExpr(slice: ResolvedSlice): { kind: 'good' | 'bad'; expr: string } {
  const { sli, groupBy } = slice;
  switch (sli.kind) {
    case 'event-ratio':
      if (sli.bad) return { kind: 'bad', expr: sumBy(groupBy, `increase(${renderSelector(sli.bad.metric, sli.bad.matchers)}[${BASE_WINDOW}])`) };
      return { kind: 'good', expr: sumBy(groupBy, `increase(${renderSelector(sli.good!.metric, sli.good!.matchers)}[${BASE_WINDOW}])`) };
    case 'latency': {
      const threshold = Number(sli.threshold);
      // Prometheus 3 writes le="1.0" where 2.x clients wrote le="1"; match both spellings.
      const le = Number.isInteger(threshold) ? `le=~"${threshold}(\\\\.0)?"` : `le="${threshold}"`;
      return { kind: 'good', expr: sumBy(groupBy, `increase(${renderSelector(`${sli.metric}_bucket`, sli.matchers, [le])}[${BASE_WINDOW}])`) };
    }
    case 'freshness':
      return { kind: 'bad', expr: badIncreaseExpr(slice) };
  }
}

export function badIncreaseExpr(slice: ResolvedSlice): string {
  const { sli, groupBy } = slice;
  const total = sumBy(groupBy, `${SLO_SERIES.totalIncrease(BASE_WINDOW)}{${SLO_LABEL}="${slice.name}"}`);
  // Groups with no matching bad/good series yet count zero rather than vanishing.
  const orZero = (expr: string) => `(${expr} or 0 * ${total})`;
  switch (sli.kind) {
    case 'event-ratio':
    case 'latency': {
      const narrow = narrowIncreaseExpr(slice);
      return narrow.kind === 'bad' ? orZero(narrow.expr) : `${total} - ${orZero(narrow.expr)}`;
    }
    case 'freshness': {
      const gauge = renderSelector(sli.metric, sli.matchers);
      const age = sli.gauge === 'age' ? gauge : `(time() - ${gauge})`;
      return sumBy(groupBy, `sum_over_time((${age} > bool ${sli.maxAgeSeconds})[${BASE_WINDOW}:${EVALUATION_INTERVAL}])`);
    }
  }
}

