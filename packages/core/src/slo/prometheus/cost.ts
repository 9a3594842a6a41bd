import { durationMinutes } from '../model/duration.js';
import { seriesNames } from './promql-scan.js';
import { alertGroup, recordingGroup } from './rules.js';
import type { WindowProfile } from '../model/spec.js';
import type { ResolvedSlice } from '../model/spec.js';
import { workbookWindows } from '../model/windows.js';

/**
 * Rule-evaluation cost, measured on the generated rules themselves: for every range selector
 * (or subquery) over a raw series (a name without ":"), the window length in minutes, times
 * evaluations per hour. Reads of recorded series (one pre-aggregated series per slice and group)
 * and instant lookups are not raw window-minutes. Multiply by raw series matched and samples per
 * minute (scrape rate) to get samples.
 */
export interface SliceCost {
  readonly slice: string;
  readonly rules: number;
  /** Each raw range read: the selector and its window in minutes. */
  readonly rawReads: readonly { readonly selector: string; readonly minutes: number }[];
  readonly evaluationsPerHour: number;
  readonly rawWindowMinutesPerHour: number;
}

const RANGE = /\[(\d+[mhd])(?::\d+[mhd])?\]/g;

/** Raw selectors a range `[w]` or subquery `[w:s]` at `index` reads. */
function rawSelectorsBefore(expr: string, index: number): string[] {
  let end = index;
  if (expr[end - 1] === ')') {
    let depth = 0;
    let start = end - 1;
    for (; start >= 0; start--) {
      if (expr[start] === ')') depth++;
      else if (expr[start] === '(' && --depth === 0) break;
    }
    return seriesNames(expr.slice(start, end)).filter((name) => !name.includes(':'));
  }
  const match = /([a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})?)$/.exec(expr.slice(0, end));
  const selector = match?.[1] ?? '';
  return selector.split('{')[0]!.includes(':') || selector === '' ? [] : [selector];
}

export function costOfExpressions(exprs: readonly string[]): { selector: string; minutes: number }[] {
  const reads: { selector: string; minutes: number }[] = [];
  for (const expr of exprs) {
    for (const m of expr.matchAll(RANGE)) {
      for (const selector of rawSelectorsBefore(expr, m.index!)) reads.push({ selector, minutes: durationMinutes(m[1]!) });
    }
  }
  return reads;
}

export function sloCostReport(slices: readonly ResolvedSlice[], profile: WindowProfile = workbookWindows): SliceCost[] {
  return slices.map((slice) => {
    const groups = [recordingGroup(slice, profile), alertGroup(slice, profile)].filter((g) => g !== undefined);
    const exprs = groups.flatMap((g) => g.rules.map((r) => r.expr));
    const evaluationsPerHour = 60 / durationMinutes(groups[0]!.interval);
    const rawReads = costOfExpressions(exprs);
    return {
      slice: slice.name,
      rules: exprs.length,
      rawReads,
      evaluationsPerHour,
      rawWindowMinutesPerHour: rawReads.reduce((sum, r) => sum + r.minutes, 0) * evaluationsPerHour,
    };
  });
}

/** Plain-text table for terminals and CI logs. */
export function formatCostReport(costs: readonly SliceCost[]): string {
  const rows = costs.map((c) => [c.slice, String(c.rules), String(c.rawReads.length), String(c.rawWindowMinutesPerHour)]);
  const header = ['slice', 'rules', 'raw range reads', 'raw window-minutes / hour'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}
