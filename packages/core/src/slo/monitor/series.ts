import { BASE_WINDOW } from '../conventions.js';
import { durationMinutes } from '../model/duration.js';
import type { MatcherValue, ResolvedSlice } from '../model/spec.js';
import { matches } from '../promtool/example-series.js';

/** One sample of a counter, histogram series or gauge, as a metrics registry reports it. */
export interface MetricSample {
  /** Series name: `http_server_requests_total`, `x_bucket`, `x_count`. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

type Predicate = (labels: Readonly<Record<string, string>>) => boolean;

function compileMatchers(matchers: Readonly<Record<string, MatcherValue>> | undefined, extra: readonly [string, Predicate1][] = []): Predicate {
  const checks: [string, Predicate1][] = Object.entries(matchers ?? {}).map(([label, m]) => {
    if (typeof m === 'object' && !Array.isArray(m) && 'regex' in m) {
      const re = new RegExp(`^(?:${(m as { regex: string }).regex})$`);
      return [label, (v: string) => re.test(v)];
    }
    return [label, (v: string) => matches(v, m)];
  });
  checks.push(...extra);
  return (labels) => checks.every(([label, ok]) => ok(labels[label] ?? ''));
}
type Predicate1 = (value: string) => boolean;

/** Per group (groupBy label values), what one read of the registry says about a slice. */
export interface SliceReading {
  /** Cumulative total events (event kinds) or series present (freshness). */
  readonly total: number;
  /** Cumulative bad events; for freshness, series whose age is over the threshold now. */
  readonly bad: number;
}

/**
 * Reads one slice's counters out of a registry snapshot, summed by the slice's `groupBy` labels —
 * the same selectors the generated SLI expressions use (sli-exprs.ts), evaluated in process.
 */
export interface SliceReader {
  readonly kind: 'counter' | 'gauge';
  read(samples: SamplesByName, nowSeconds: number): Map<string, { labels: Record<string, string>; reading: SliceReading }>;
}

/** One registry read, indexed by series name once per read (every slice then scans only its own metrics). */
export type SamplesByName = ReadonlyMap<string, readonly MetricSample[]>;

export function indexSamples(samples: readonly MetricSample[]): SamplesByName {
  const out = new Map<string, MetricSample[]>();
  for (const s of samples) {
    const list = out.get(s.name);
    if (list) list.push(s);
    else out.set(s.name, [s]);
  }
  return out;
}

const NONE: readonly MetricSample[] = [];

export function groupKeyOf(groupBy: readonly string[], labels: Readonly<Record<string, string>>): string {
  return groupBy.map((l) => labels[l] ?? '').join('\u0000');
}

export function sliceReader(slice: ResolvedSlice): SliceReader {
  const { sli, groupBy } = slice;
  const groups = () => new Map<string, { labels: Record<string, string>; reading: { total: number; bad: number } }>();
  const entry = (out: ReturnType<typeof groups>, labels: Readonly<Record<string, string>>) => {
    const key = groupKeyOf(groupBy, labels);
    let e = out.get(key);
    if (!e) {
      e = { labels: Object.fromEntries(groupBy.map((l) => [l, labels[l] ?? ''])), reading: { total: 0, bad: 0 } };
      out.set(key, e);
    }
    return e.reading;
  };
  switch (sli.kind) {
    case 'event-ratio': {
      const total = compileMatchers(sli.total.matchers);
      const narrow = sli.bad ?? sli.good!;
      const inNarrow = compileMatchers(narrow.matchers);
      const narrowIsBad = sli.bad !== undefined;
      return {
        kind: 'counter',
        read(samples) {
          const out = groups();
          const good = new Map<string, number>();
          for (const s of samples.get(sli.total.metric) ?? NONE) {
            if (total(s.labels)) entry(out, s.labels).total += s.value;
          }
          for (const s of samples.get(narrow.metric) ?? NONE) {
            if (!inNarrow(s.labels)) continue;
            const key = groupKeyOf(groupBy, s.labels);
            if (!out.has(key)) continue; // the generated rules drop bad/good groups without a total
            if (narrowIsBad) out.get(key)!.reading.bad += s.value;
            else good.set(key, (good.get(key) ?? 0) + s.value);
          }
          if (!narrowIsBad) for (const [key, e] of out) e.reading.bad = e.reading.total - (good.get(key) ?? 0);
          return out;
        },
      };
    }
    case 'latency': {
      const threshold = Number(sli.threshold);
      const base = compileMatchers(sli.matchers);
      const countName = `${sli.metric}_count`;
      const bucketName = `${sli.metric}_bucket`;
      return {
        kind: 'counter',
        read(samples) {
          const out = groups();
          const fast = new Map<string, number>();
          for (const s of samples.get(countName) ?? NONE) if (base(s.labels)) entry(out, s.labels).total += s.value;
          for (const s of samples.get(bucketName) ?? NONE) {
            // le="1" and le="1.0" alike, as the generated selector matches both spellings.
            if (Number(s.labels.le) !== threshold || !base(s.labels)) continue;
            const key = groupKeyOf(groupBy, s.labels);
            if (out.has(key)) fast.set(key, (fast.get(key) ?? 0) + s.value);
          }
          for (const [key, e] of out) e.reading.bad = e.reading.total - (fast.get(key) ?? 0);
          return out;
        },
      };
    }
    case 'freshness': {
      const base = compileMatchers(sli.matchers);
      return {
        kind: 'gauge',
        read(samples, nowSeconds) {
          const out = groups();
          for (const s of samples.get(sli.metric) ?? NONE) {
            if (!base(s.labels)) continue;
            const age = sli.gauge === 'age' ? s.value : nowSeconds - s.value;
            const r = entry(out, s.labels);
            r.total += 1;
            if (age > sli.maxAgeSeconds) r.bad += 1;
          }
          return out;
        },
      };
    }
  }
}

/** Minutes in the base window (5). */
export const BASE_MINUTES = durationMinutes(BASE_WINDOW);
