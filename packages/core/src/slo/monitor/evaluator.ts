import { ALERTNAME_LABEL, BASE_WINDOW, BUDGET_CONSUMED_ANNOTATION, alertName, type AlertKind } from '../conventions.js';
import { errorBudget } from '../model/decimal.js';
import { durationMinutes } from '../model/duration.js';
import type { BurnRatePair, ResolvedSlice, WindowProfile } from '../model/spec.js';
import { alertGroup, type AlertingRule } from '../prometheus/rules.js';
import { groupKeyOf, indexSamples, sliceReader, type MetricSample, type SliceReader } from './series.js';
import { GroupWindows } from './windows.js';

/** One alert the monitor decided is active at an evaluation, labelled as Prometheus would label it. */
export interface ActiveAlert {
  readonly slice: string;
  readonly kind: AlertKind;
  /** alertname, the slice's recording labels, groupBy labels and severity: the generated alert's label set. */
  readonly labels: Readonly<Record<string, string>>;
  /** The generated rule's annotations, rendered ($value, $labels). */
  readonly annotations: Readonly<Record<string, string>>;
  /** Long-window burn rate of the first matching window pair (burn alerts). */
  readonly value?: number;
}

interface CompiledPair {
  readonly pair: BurnRatePair;
  readonly long: number;
  readonly short: number;
}

interface SliceState {
  readonly slice: ResolvedSlice;
  readonly reader: SliceReader;
  readonly budget: number;
  readonly rules: readonly AlertingRule[];
  readonly page: readonly CompiledPair[];
  readonly ticket: readonly CompiledPair[];
  readonly windows: readonly number[];
  readonly groups: Map<string, { labels: Record<string, string>; windows: GroupWindows; alertLabels: Partial<Record<AlertKind, Record<string, string>>> }>;
  noDataLabels: Record<string, string> | undefined;
  readonly noDataFor: number;
  absentSince: number | undefined;
}

/** Go `printf "%.1f"` for the values alert texts print. */
const oneDecimal = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : String(value));

/**
 * Renders the generated rule's annotation templates for one alert: `{{ $value | printf "%.1f" }}`,
 * `{{ $labels.x }}`; the budget-consumed query template (it asks Prometheus) becomes `unknown`.
 */
export function renderAnnotations(rule: AlertingRule, labels: Readonly<Record<string, string>>, value: number | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, text] of Object.entries(rule.annotations)) {
    out[key] = key === BUDGET_CONSUMED_ANNOTATION
      ? 'unknown'
      : text
        .replace(/\{\{ \$value \| printf "%\.1f" \}\}/g, value === undefined ? '' : oneDecimal(value))
        .replace(/\{\{ \$labels\.([a-zA-Z_][a-zA-Z0-9_]*) \}\}/g, (_, name: string) => labels[name] ?? '');
  }
  return out;
}

/**
 * The pure part of the monitor: minute-indexed reads in, alert decisions out. Thresholds, window
 * pairs, the minimum-bad-events guard and the no-data rule come from the resolved slices and the
 * generated alert rules themselves (prometheus/rules.ts), so the monitor cannot drift from them.
 */
export class SloEvaluator {
  private readonly states: SliceState[];
  /** Upper bound on groups per slice (groupBy label combinations); further groups are ignored and counted. */
  readonly maxGroupsPerSlice: number;
  droppedGroups = 0;

  constructor(slices: readonly ResolvedSlice[], profile: WindowProfile, options: { maxGroupsPerSlice?: number } = {}) {
    this.maxGroupsPerSlice = options.maxGroupsPerSlice ?? 100;
    this.states = slices
      .filter((slice) => slice.alert !== 'none')
      .map((slice) => {
        const compile = (pairs: readonly BurnRatePair[]) =>
          pairs.map((pair) => ({ pair, long: durationMinutes(pair.long), short: durationMinutes(pair.short) }));
        const page = slice.alert === 'page' ? compile(profile.page) : [];
        const ticket = compile(profile.ticket);
        const windows = [...new Set([...page, ...ticket].flatMap((p) => [p.long, p.short]))].filter((m) => m !== durationMinutes(BASE_WINDOW));
        return {
          slice,
          reader: sliceReader(slice),
          budget: Number(errorBudget(slice.objective)),
          rules: alertGroup(slice, profile)!.rules,
          page,
          ticket,
          windows,
          groups: new Map(),
          noDataFor: durationMinutes(slice.noDataFor),
          absentSince: undefined,
          noDataLabels: undefined,
        };
      });
  }

  /** Slices the monitor evaluates (alert class page or ticket). */
  get slices(): readonly ResolvedSlice[] {
    return this.states.map((s) => s.slice);
  }

  /** Bytes of window state held, all groups. */
  get bytes(): number {
    let n = 0;
    for (const s of this.states) for (const g of s.groups.values()) n += g.windows.bytes;
    return n;
  }

  /** Records one read of the registry at a whole minute (minutes since the epoch, or any monotonic minute count). */
  observe(minute: number, samples: readonly MetricSample[]): void {
    const byName = indexSamples(samples);
    for (const state of this.states) {
      const readings = state.reader.read(byName, minute * 60);
      for (const [key, { labels, reading }] of readings) {
        let group = state.groups.get(key);
        if (!group) {
          if (state.groups.size >= this.maxGroupsPerSlice) {
            this.droppedGroups++;
            continue;
          }
          group = { labels, windows: new GroupWindows(state.windows, state.reader.kind === 'counter'), alertLabels: {} };
          state.groups.set(key, group);
        }
        group.windows.observe(minute, reading);
      }
      for (const [key, group] of state.groups) if (!readings.has(key)) group.windows.observe(minute, undefined);
    }
  }

  /** Every alert whose condition holds at `minute` (call after `observe(minute, ...)`). */
  evaluate(minute: number): ActiveAlert[] {
    const active: ActiveAlert[] = [];
    for (const state of this.states) {
      const { slice, rules } = state;
      let anyPresent = false;
      for (const group of state.groups.values()) {
        const w = group.windows;
        if (w.minute !== minute) continue;
        if (w.total5 !== undefined) anyPresent = true;
        for (const [kind, pairs] of [['page', state.page], ['ticket', state.ticket]] as const) {
          const value = this.firstFiring(state, w, pairs);
          if (value === undefined) continue;
          const rule = rules.find((r) => r.alert === alertName(slice, kind))!;
          const labels = (group.alertLabels[kind] ??= sortLabels({ [ALERTNAME_LABEL]: rule.alert, ...group.labels, ...rule.labels }));
          active.push(activeAlert(slice.name, kind, rule, labels, value));
        }
      }
      // absent(parapet_slo:total:increase5m{slo="..."}) with `for: noDataFor`.
      if (anyPresent) state.absentSince = undefined;
      else {
        state.absentSince ??= minute;
        if (minute - state.absentSince >= state.noDataFor) {
          const rule = rules.find((r) => r.alert === alertName(slice, 'nodata'))!;
          const labels = (state.noDataLabels ??= sortLabels({ [ALERTNAME_LABEL]: rule.alert, ...rule.labels }));
          active.push(activeAlert(slice.name, 'nodata', rule, labels, undefined));
        }
      }
    }
    return active;
  }

  /** The generated pair condition: long AND short burn above the rate, and >= minBadEvents bad events in the long window. */
  private firstFiring(state: SliceState, w: GroupWindows, pairs: readonly CompiledPair[]): number | undefined {
    for (const p of pairs) {
      const long = w.window(p.long);
      const short = w.window(p.short);
      if (!long || !short || !(long.total > 0) || !(short.total > 0)) continue;
      const longBurn = long.bad / long.total / state.budget;
      const shortBurn = short.bad / short.total / state.budget;
      if (longBurn > p.pair.burnRate && shortBurn > p.pair.burnRate && long.bad >= state.slice.minBadEvents) return longBurn;
    }
    return undefined;
  }

  /** Group keys of a slice (for tests and state inspection). */
  groupsOf(slice: string): string[] {
    return [...(this.states.find((s) => s.slice.name === slice)?.groups.keys() ?? [])];
  }
}

/** Annotations are rendered only when read (the monitor reads them once, when an alert starts). */
function activeAlert(slice: string, kind: AlertKind, rule: AlertingRule, labels: Readonly<Record<string, string>>, value: number | undefined): ActiveAlert {
  let annotations: Record<string, string> | undefined;
  return {
    slice,
    kind,
    labels,
    get annotations() {
      return (annotations ??= renderAnnotations(rule, labels, value));
    },
    ...(value === undefined ? {} : { value }),
  };
}

function sortLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(labels).sort().map((k) => [k, labels[k]!]));
}

export { groupKeyOf };
