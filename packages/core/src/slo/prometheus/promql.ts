import type { MatcherValue, SeriesSelector } from '../model/spec.js';

/** Escapes a PromQL double-quoted string. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/g;
function alternation(values: readonly string[]): string {
  return values.map((v) => v.replace(REGEX_SPECIAL, '\\$&')).join('|');
}

export function renderMatcher(label: string, value: MatcherValue): string {
  if (typeof value === 'string') return `${label}=${quote(value)}`;
  if (Array.isArray(value)) return `${label}=~${quote(alternation(value as readonly string[]))}`;
  if ('regex' in value) return `${label}=~${quote(value.regex)}`;
  const not = (value as { not: string | readonly string[] }).not;
  return typeof not === 'string' ? `${label}!=${quote(not)}` : `${label}!~${quote(alternation(not))}`;
}

/** `metric{a="1",b=~"x|y"}` with labels sorted, so output is byte-stable. */
export function renderSelector(metric: string, matchers: SeriesSelector['matchers'] = {}, extra: string[] = []): string {
  const parts = Object.keys(matchers).sort().map((label) => renderMatcher(label, matchers[label]!));
  const all = [...parts, ...extra];
  return all.length === 0 ? metric : `${metric}{${all.join(',')}}`;
}

/** `sum by (a, b) (expr)`, or `sum (expr)` without grouping labels. */
export function sumBy(groupBy: readonly string[], expr: string): string {
  return groupBy.length === 0 ? `sum (${expr})` : `sum by (${groupBy.join(', ')}) (${expr})`;
}

/** Canonical form of a matcher for comparisons (bad selector equal to total, ...). */
export function matcherKey(label: string, value: MatcherValue): string {
  return renderMatcher(label, value);
}
