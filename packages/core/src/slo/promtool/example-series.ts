import { catalogMetric } from '../model/catalog-lookup.js';
import type { MatcherValue, SeriesSelector } from '../model/spec.js';

type Labels = Record<string, string>;

/** Prometheus matcher semantics for one label value (a missing label is the empty string). */
export function matches(value: string, matcher: MatcherValue): boolean {
  if (typeof matcher === 'string') return value === matcher;
  if (Array.isArray(matcher)) return (matcher as readonly string[]).includes(value);
  if ('regex' in matcher) return new RegExp(`^(?:${matcher.regex})$`).test(value);
  const not = (matcher as { not: string | readonly string[] }).not;
  return ![not].flat().includes(value);
}

/** Plausible values for a label: its closed set, literals from matchers, and regex-derived guesses. */
function candidates(metric: string, label: string, selectors: readonly SeriesSelector[]): string[] {
  const out = new Set<string>();
  const closed = (catalogMetric(metric)?.labelValues as Record<string, readonly string[]> | undefined)?.[label];
  for (const s of selectors) {
    const m = s.matchers?.[label];
    if (m === undefined) continue;
    if (typeof m === 'string') out.add(m);
    else if (Array.isArray(m)) for (const v of m as readonly string[]) out.add(v);
    else if ('regex' in m) for (const alt of m.regex.split('|')) out.add(alt.replace(/\./g, '0').replace(/[\\^$()[\]*+?{}]/g, ''));
    else for (const v of [(m as { not: string | readonly string[] }).not].flat()) out.add(v);
  }
  for (const v of closed ?? []) out.add(v);
  out.add('example');
  return [...out];
}

/**
 * Finds a concrete label set that every `include` selector matches and no `exclude` selector
 * does. Used to synthesize input series for generated unit tests.
 */
export interface ExampleLabelsArgs {
  readonly metric: string;
  /** Selectors the labels must match. */
  readonly include: readonly SeriesSelector[];
  /** Selectors the labels must not match. */
  readonly exclude?: readonly SeriesSelector[];
  /** Further labels to give values (grouping labels). */
  readonly extra?: readonly string[];
}

export function exampleLabels({ metric, include, exclude = [], extra = [] }: ExampleLabelsArgs): Labels {
  const labels = [...new Set([...include, ...exclude].flatMap((s) => Object.keys(s.matchers ?? {})).concat(extra))].sort();
  const all = [...include, ...exclude];
  const ok = (l: Labels, s: SeriesSelector) => Object.entries(s.matchers ?? {}).every(([k, m]) => matches(l[k] ?? '', m));
  const search = (i: number, acc: Labels): Labels | undefined => {
    if (i === labels.length) return include.every((s) => ok(acc, s)) && !exclude.some((s) => ok(acc, s)) ? acc : undefined;
    for (const v of candidates(metric, labels[i]!, all)) {
      const found = search(i + 1, { ...acc, [labels[i]!]: v });
      if (found) return found;
    }
    return undefined;
  };
  const found = search(0, {});
  if (!found) throw new Error(`cannot synthesize a ${metric} series for the generated unit test; check that the selectors can match anything`);
  return found;
}

export function seriesText(metric: string, labels: Labels): string {
  const parts = Object.keys(labels).sort().map((k) => `${k}="${labels[k]!.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
  return `${metric}{${parts.join(',')}}`;
}

/** Compresses per-minute values into promtool's expanding notation (runs of equal steps). */
export function expandingNotation(values: readonly number[], staleFrom?: number): string {
  const out: string[] = [];
  let i = 0;
  while (i < values.length) {
    const start = values[i]!;
    if (i + 1 === values.length) {
      out.push(String(start));
      break;
    }
    const step = values[i + 1]! - start;
    let n = 1;
    while (i + n + 1 < values.length && values[i + n + 1]! - values[i + n]! === step) n++;
    out.push(step === 0 ? `${start}x${n}` : `${start}${step > 0 ? '+' : '-'}${Math.abs(step)}x${n}`);
    i += n + 1;
  }
  if (staleFrom !== undefined) out.push('stale');
  return out.join(' ');
}
