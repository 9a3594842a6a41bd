import { exampleLabels, expandingNotation, seriesText } from './example-series.js';
import type { Traffic } from './simulate.js';
import type { ResolvedSlice } from '../model/spec.js';

interface InputSeries { series: string; values: string }

/** Turns per-minute traffic into promtool input series that the slice's selectors match. */
export function inputSeries(slice: ResolvedSlice, traffic: Traffic): { series: InputSeries[]; groupLabels: Record<string, string> } {
  const { sli, groupBy } = slice;
  const cum = (xs: readonly number[]) => {
    let s = 0;
    return xs.map((x) => (s += x));
  };
  const stale = traffic.stale ? traffic.length : undefined;
  const pick = (labels: Record<string, string>) => Object.fromEntries(groupBy.map((l) => [l, labels[l]!]));
  switch (sli.kind) {
    case 'event-ratio': {
      const total = traffic.total!;
      const bad = traffic.bad!;
      const good = total.map((t, i) => t - bad[i]!);
      const narrow = sli.bad ?? sli.good!;
      const narrowIsBad = sli.bad !== undefined;
      if (narrow.metric !== sli.total.metric) {
        const a = exampleLabels({ metric: sli.total.metric, include: [sli.total], extra: groupBy });
        const fixed = { metric: narrow.metric, matchers: pick(a) };
        const b = exampleLabels({ metric: narrow.metric, include: [narrow, fixed], extra: groupBy });
        return {
          groupLabels: pick(a),
          series: [
            { series: seriesText(sli.total.metric, a), values: expandingNotation(cum(total), stale) },
            { series: seriesText(narrow.metric, b), values: expandingNotation(cum(narrowIsBad ? bad : good), stale) },
          ],
        };
      }
      const inNarrow = exampleLabels({ metric: sli.total.metric, include: [sli.total, narrow], extra: groupBy });
      const fixed = { metric: sli.total.metric, matchers: pick(inNarrow) };
      const outside = exampleLabels({ metric: sli.total.metric, include: [sli.total, fixed], exclude: [narrow], extra: groupBy });
      return {
        groupLabels: pick(inNarrow),
        series: [
          { series: seriesText(sli.total.metric, outside), values: expandingNotation(cum(narrowIsBad ? good : bad), stale) },
          { series: seriesText(sli.total.metric, inNarrow), values: expandingNotation(cum(narrowIsBad ? bad : good), stale) },
        ],
      };
    }
    case 'latency': {
      const labels = exampleLabels({ metric: sli.metric, include: [{ metric: sli.metric, matchers: sli.matchers }], extra: groupBy });
      const total = traffic.total!;
      const fast = total.map((t, i) => t - traffic.bad![i]!);
      return {
        groupLabels: pick(labels),
        series: [
          { series: seriesText(`${sli.metric}_bucket`, { ...labels, le: String(Number(sli.threshold)) }), values: expandingNotation(cum(fast), stale) },
          { series: seriesText(`${sli.metric}_count`, labels), values: expandingNotation(cum(total), stale) },
        ],
      };
    }
    case 'freshness': {
      const labels = exampleLabels({ metric: sli.metric, include: [{ metric: sli.metric, matchers: sli.matchers }], extra: groupBy });
      const age = (m: number) => (traffic.staleMinute![m] ? sli.maxAgeSeconds + 60 : 0);
      const values = Array.from({ length: traffic.length }, (_, m) => (sli.gauge === 'age' ? age(m) : m * 60 - age(m)));
      return { groupLabels: pick(labels), series: [{ series: seriesText(sli.metric, labels), values: expandingNotation(values, stale) }] };
    }
  }
}

