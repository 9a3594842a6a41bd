import type { MetricDefinition, MetricType } from '../../catalog/define.js';
import { BASE_WINDOW, PAGE_SEVERITY, RESERVED_ANNOTATIONS, RESERVED_LABELS, TICKET_SEVERITY } from '../conventions.js';
import { matcherKey } from '../prometheus/promql.js';
import { catalogMetric } from './catalog-lookup.js';
import { errorBudget, exactProduct } from './decimal.js';
import { durationMinutes, isDuration } from './duration.js';
import { SloSpecError } from './spec-error.js';
import type { MatcherValue, ResolvedSlice, SeriesSelector, SliceSpec, Sli, WindowProfile } from './spec.js';

const SLICE_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
export const DEFAULT_MIN_BAD_EVENTS = 5;
export const DEFAULT_NO_DATA_FOR = '10m';
/** NoData opens a ticket by default: missing series are usually a scrape or deploy fault. */
export const DEFAULT_NO_DATA_SEVERITY = TICKET_SEVERITY;

/** `a string "99.9"`, `an array`, `null`: what a value is, for type errors. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value === 'undefined' ? 'undefined' : `the ${typeof value} ${String(value)}`}`;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function validateWindows(profile: WindowProfile): string[] {
  const problems: string[] = [];
  for (const severity of ['page', 'ticket'] as const) {
    profile[severity].forEach((pair, i) => {
      const where = `windows.${severity}[${i}]`;
      for (const key of ['long', 'short'] as const) {
        if (typeof pair[key] !== 'string') problems.push(`${where}.${key}: must be a duration string like "1h", got ${describeType(pair[key])}.`);
        else if (!isDuration(pair[key])) problems.push(`${where}.${key}: "${pair[key]}" is not a duration like 5m, 1h or 3d.`);
        else if (durationMinutes(pair[key]) % durationMinutes(BASE_WINDOW) !== 0) {
          problems.push(`${where}.${key}: ${pair[key]} is not a multiple of ${BASE_WINDOW}; every window is built from ${BASE_WINDOW} increases.`);
        }
      }
      if (typeof pair.long === 'string' && typeof pair.short === 'string' && isDuration(pair.long) && isDuration(pair.short) && durationMinutes(pair.short) >= durationMinutes(pair.long)) {
        problems.push(`${where}: short window ${pair.short} must be shorter than long window ${pair.long} (the workbook uses 1/12).`);
      }
      if (typeof pair.burnRate !== 'number') problems.push(`${where}.burnRate: must be a number, got ${describeType(pair.burnRate)}.`);
      else if (!(pair.burnRate > 0) || !Number.isFinite(pair.burnRate)) problems.push(`${where}.burnRate: must be a positive number, got ${pair.burnRate}.`);
    });
  }
  return problems;
}

export interface ResolveSliceArgs {
  readonly spec: SliceSpec;
  /** Name of the provider that returned the slice, for messages. */
  readonly provider: string;
  readonly windows: WindowProfile;
  /** Config-wide defaults. */
  readonly minBadEvents?: number;
}

/** Validates one slice and fills in defaults. Throws SloSpecError listing every problem found. */
export function resolveSlice({ spec, provider, windows: profile, minBadEvents: defaultMinBadEvents }: ResolveSliceArgs): ResolvedSlice {
  const name = typeof spec?.name === 'string' && spec.name !== '' ? spec.name : '<unnamed>';
  const problems: string[] = [];
  const fail = (field: string, message: string) => problems.push(`slice "${name}" (from ${provider}): ${field}: ${message}`);
  if (!isRecord(spec)) throw new SloSpecError([`${provider}: slices() returned ${describeType(spec)} where a slice object ({ name, objective, alert, runbookUrl, sli, ... }) belongs.`]);

  if (typeof spec.name !== 'string') {
    fail('name', `must be a string (snake_case, e.g. "checkout_journey"), got ${describeType(spec.name)}.`);
  } else if (!SLICE_NAME.test(spec.name)) {
    fail('name', `"${spec.name ?? ''}" must be snake_case ([a-z][a-z0-9_]*, at most 63 characters), e.g. "checkout_journey".`);
  }
  // Types first: a wrong type gets a type error, never a misleading range message.
  const objectiveIsNumber = typeof spec.objective === 'number';
  const objectiveOk = objectiveIsNumber && spec.objective > 0 && spec.objective < 100 && Number.isFinite(spec.objective);
  if (!objectiveIsNumber) {
    const hint = typeof spec.objective === 'string' && Number.isFinite(Number(spec.objective)) ? ` Write it without quotes: objective: ${Number(spec.objective)}.` : '';
    fail('objective', `must be a number (a percentage of good events such as 99.9), got ${describeType(spec.objective)}.${hint}`);
  } else if (!objectiveOk) {
    fail('objective', `${String(spec.objective)} is outside 0 < objective < 100. It is a percentage of good events, e.g. 99.9; 100 leaves no error budget and every alert would divide by zero.`);
  } else if (!/^\d+(\.\d{1,6})?$/.test(String(spec.objective))) {
    fail('objective', `${spec.objective} has more than 6 decimals; write it as a plain percentage such as 99.95.`);
  }
  const period = spec.period ?? '30d';
  if (period !== '28d' && period !== '30d') fail('period', `${describeType(period)} is not supported; use "28d" or "30d" (rolling).`);
  if (!['page', 'ticket', 'none'].includes(spec.alert)) fail('alert', `must be "page", "ticket" or "none", got ${describeType(spec.alert)}.`);
  if (typeof spec.runbookUrl !== 'string' && spec.runbookUrl !== undefined) {
    fail('runbookUrl', `must be a string (an http(s) URL), got ${describeType(spec.runbookUrl)}.`);
  } else if (typeof spec.runbookUrl !== 'string' || !/^https?:\/\/\S+$/.test(spec.runbookUrl)) {
    fail('runbookUrl', `is required and must be an http(s) URL the on-call engineer can open; got ${JSON.stringify(spec.runbookUrl)}.`);
  }
  const typed = <T>(field: string, value: T | undefined, fallback: T, ok: (v: unknown) => boolean, expected: string): T => {
    if (value === undefined) return fallback;
    if (ok(value)) return value;
    fail(field, `must be ${expected}, got ${describeType(value)}.`);
    return fallback;
  };
  const groupBy = typed('groupBy', spec.groupBy, [], (v) => Array.isArray(v), 'an array of label names, e.g. ["route"]');
  const labels = typed('labels', spec.labels, {}, isRecord, 'an object of label names to strings, e.g. { team: "web" }');
  const annotations = typed('annotations', spec.annotations, {}, isRecord, 'an object of annotation names to strings');
  groupBy.forEach((label) => {
    if (typeof label !== 'string') fail('groupBy', `entries must be label names (strings), got ${describeType(label)}.`);
    else if (!LABEL_NAME.test(label) || RESERVED_LABELS.includes(label)) fail('groupBy', `"${label}" is not usable as a grouping label (reserved or not a Prometheus label name).`);
  });
  for (const [key, value] of Object.entries(labels)) {
    if (!LABEL_NAME.test(key) || key.startsWith('__') || RESERVED_LABELS.includes(key)) fail(`labels.${key}`, `is reserved or not a Prometheus label name; Parapet sets slo and severity itself.`);
    else if (groupBy.includes(key)) fail(`labels.${key}`, 'is also a grouping label; a static label would overwrite the grouped value. Rename it.');
    if (typeof value !== 'string' || value === '') fail(`labels.${key}`, 'must be a non-empty string.');
  }
  for (const [key, value] of Object.entries(annotations)) {
    if (!LABEL_NAME.test(key)) fail(`annotations.${key}`, 'is not a valid annotation name.');
    else if (RESERVED_ANNOTATIONS.includes(key)) fail(`annotations.${key}`, `is generated by Parapet; reserved names are ${RESERVED_ANNOTATIONS.join(', ')}.`);
    if (typeof value !== 'string' || value === '') fail(`annotations.${key}`, 'must be a non-empty string.');
  }
  const minBadEvents = spec.minBadEvents ?? defaultMinBadEvents ?? DEFAULT_MIN_BAD_EVENTS;
  if (typeof minBadEvents !== 'number') fail('minBadEvents', `must be a number (a positive integer such as 5), got ${describeType(minBadEvents)}.`);
  else if (!Number.isInteger(minBadEvents) || minBadEvents < 1) fail('minBadEvents', `must be a positive integer, got ${minBadEvents}.`);
  const noDataFor = spec.noDataFor ?? DEFAULT_NO_DATA_FOR;
  if (typeof noDataFor !== 'string') fail('noDataFor', `must be a duration string such as "10m", got ${describeType(noDataFor)}.`);
  else if (!isDuration(noDataFor)) fail('noDataFor', `"${noDataFor}" is not a duration like 10m.`);
  const noDataSeverity = spec.noDataSeverity ?? DEFAULT_NO_DATA_SEVERITY;
  if (noDataSeverity !== PAGE_SEVERITY && noDataSeverity !== TICKET_SEVERITY) {
    fail('noDataSeverity', `must be "${PAGE_SEVERITY}" or "${TICKET_SEVERITY}", got ${describeType(noDataSeverity)}.`);
  } else if (noDataSeverity === PAGE_SEVERITY && spec.alert !== 'page') {
    fail('noDataSeverity', `"page" needs alert: "page"; a ${String(spec.alert)} slice never pages. Use "ticket" or raise the alert class.`);
  }

  if (objectiveOk && spec.alert !== 'none') {
    // A condition can only fire if burnRate x budget < 1 (an error ratio cannot exceed 100%).
    const budget = errorBudget(spec.objective);
    const severities = spec.alert === 'page' ? (['page', 'ticket'] as const) : (['ticket'] as const);
    for (const severity of severities) {
      for (const pair of profile[severity]) {
        if (pair.burnRate * Number(budget) >= 1) {
          fail('objective', `${spec.objective} leaves a budget of ${budget}; the ${severity} condition needs an error ratio above ${pair.burnRate} x ${budget} = ${exactProduct(pair.burnRate, Number(budget))}, which is impossible, so that alert can never fire. Raise the objective or use alert: "${severity === 'page' ? 'ticket' : 'none'}".`);
        }
      }
    }
  }
  if (spec.sli === undefined || typeof spec.sli !== 'object') fail('sli', 'is required: { kind: "event-ratio" | "latency" | "freshness", ... }.');
  else validateSli(spec.sli, groupBy, fail);

  if (problems.length > 0) throw new SloSpecError(problems);
  return Object.freeze({
    name: spec.name, description: spec.description ?? spec.name.replace(/_/g, ' '), objective: spec.objective, period,
    alert: spec.alert, runbookUrl: spec.runbookUrl, sli: spec.sli, groupBy, labels, annotations, minBadEvents, noDataFor, noDataSeverity, provider,
  });
}

type Fail = (field: string, message: string) => void;

function validateSli(sli: Sli, groupBy: readonly string[], fail: Fail): void {
  switch (sli.kind) {
    case 'event-ratio': {
      const hasGood = sli.good !== undefined;
      const hasBad = sli.bad !== undefined;
      if (hasGood === hasBad) {
        fail('sli', 'an event-ratio SLI needs exactly one of `good` and `bad`, plus `total`.');
        return;
      }
      const part = hasGood ? 'good' : 'bad';
      const narrow = (hasGood ? sli.good : sli.bad)!;
      checkSelector({ field: 'sli.total', selector: sli.total, type: 'counter', groupBy, fail });
      checkSelector({ field: `sli.${part}`, selector: narrow, type: 'counter', groupBy, fail });
      checkSubset({ part, narrow, total: sli.total, fail });
      return;
    }
    case 'latency': {
      const def = checkSelector({ field: 'sli', selector: { metric: sli.metric, matchers: sli.matchers }, type: 'histogram', groupBy, fail });
      const buckets = def?.buckets ?? sli.buckets;
      if (typeof sli.threshold !== 'number' && typeof sli.threshold !== 'string') {
        fail('sli.threshold', `must be a number of seconds (or a bucket label such as "1.0"), got ${describeType(sli.threshold)}.`);
        return;
      }
      const threshold = Number(sli.threshold);
      if (!buckets) fail('sli.buckets', `"${sli.metric}" is not in Parapet's catalog, so list its bucket boundaries in sli.buckets.`);
      else if (!Number.isFinite(threshold) || !buckets.includes(threshold)) {
        fail('sli.threshold', `${String(sli.threshold)} is not a bucket boundary of ${sli.metric}; a latency SLO can only be exact at a boundary. Use one of: ${buckets.join(', ')}.`);
      }
      if (sli.matchers && 'le' in sli.matchers) fail('sli.matchers.le', 'is set from `threshold`; remove it.');
      return;
    }
    case 'freshness': {
      checkSelector({ field: 'sli', selector: { metric: sli.metric, matchers: sli.matchers }, type: 'gauge', groupBy, fail });
      if (sli.gauge !== 'age' && sli.gauge !== 'timestamp') fail('sli.gauge', `"${String(sli.gauge)}" must be "age" (seconds since) or "timestamp" (Unix time of last success).`);
      if (typeof sli.maxAgeSeconds !== 'number') fail('sli.maxAgeSeconds', `must be a number of seconds, got ${describeType(sli.maxAgeSeconds)}.`);
      else if (!(sli.maxAgeSeconds > 0) || !Number.isFinite(sli.maxAgeSeconds)) fail('sli.maxAgeSeconds', `must be a positive number of seconds, got ${sli.maxAgeSeconds}.`);
      return;
    }
    default:
      fail('sli.kind', `"${String((sli as { kind?: unknown }).kind)}" must be "event-ratio", "latency" or "freshness".`);
  }
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

interface CheckSelectorArgs {
  readonly field: string;
  readonly selector: SeriesSelector;
  readonly type: MetricType;
  readonly groupBy: readonly string[];
  readonly fail: Fail;
}

function checkSelector({ field, selector, type, groupBy, fail }: CheckSelectorArgs): MetricDefinition | undefined {
  if (!isRecord(selector)) {
    fail(field, `must be a selector object { metric, matchers? }, got ${describeType(selector)}.`);
    return undefined;
  }
  if (typeof selector.metric !== 'string') {
    fail(`${field}.metric`, `must be a metric name (a string), got ${describeType(selector.metric)}.`);
    return undefined;
  }
  if (!METRIC_NAME.test(selector.metric) || selector.metric.includes(':')) {
    fail(`${field}.metric`, `${JSON.stringify(selector?.metric)} is not a Prometheus metric name (recorded series with ":" are not accepted).`);
    return undefined;
  }
  if (type === 'counter' && !selector.metric.endsWith('_total')) {
    fail(`${field}.metric`, `"${selector.metric}" is not a counter (counters end in _total); event ratios count events.`);
  }
  const matchers = selector.matchers ?? {};
  for (const [label, value] of Object.entries(matchers)) {
    if (!LABEL_NAME.test(label)) fail(`${field}.matchers.${label}`, 'is not a Prometheus label name.');
    if (!validMatcher(value)) fail(`${field}.matchers.${label}`, 'must be a string, a non-empty array of strings, { not: ... } or { regex: "..." }.');
  }
  const def = catalogMetric(selector.metric);
  if (!def) return undefined;
  if (def.type !== type) {
    fail(`${field}.metric`, `"${selector.metric}" is a ${def.type} in Parapet's catalog; this SLI needs a ${type}.`);
    return undefined;
  }
  for (const label of [...Object.keys(matchers), ...groupBy]) {
    if (!def.labels.includes(label)) fail(label in matchers ? `${field}.matchers.${label}` : 'groupBy', `"${selector.metric}" has no label "${label}"; its labels are ${def.labels.join(', ')}.`);
  }
  for (const [label, value] of Object.entries(matchers)) {
    const allowed = (def.labelValues as Record<string, readonly string[]> | undefined)?.[label];
    if (!allowed || !validMatcher(value)) continue;
    const listed = typeof value === 'string' ? [value] : Array.isArray(value) ? value : 'not' in value ? [value.not].flat() : [];
    for (const v of listed as string[]) {
      if (!allowed.includes(v)) fail(`${field}.matchers.${label}`, `"${v}" is never emitted for ${selector.metric}; ${label} is one of ${allowed.join(', ')}.`);
    }
  }
  return def;
}

function validMatcher(value: MatcherValue): boolean {
  if (typeof value === 'string') return true;
  if (Array.isArray(value)) return value.length > 0 && value.every((v) => typeof v === 'string');
  if (value && typeof value === 'object' && 'regex' in value) return typeof value.regex === 'string' && value.regex !== '';
  if (value && typeof value === 'object' && 'not' in value) return typeof value.not === 'string' || (Array.isArray(value.not) && value.not.length > 0);
  return false;
}

/** Values a closed matcher selects, or undefined for regex / negative matchers. */
function valueSet(value: MatcherValue): Set<string> | undefined {
  if (typeof value === 'string') return new Set([value]);
  if (Array.isArray(value)) return new Set(value as readonly string[]);
  return undefined;
}

/** Whether matcher `narrow` selects a subset of what `wide` selects on the same label. */
function narrower(label: string, narrow: MatcherValue, wide: MatcherValue): boolean {
  if (matcherKey(label, narrow) === matcherKey(label, wide)) return true;
  const n = valueSet(narrow);
  if (!n) return false;
  const w = valueSet(wide);
  if (w) return [...n].every((v) => w.has(v));
  if (typeof wide === 'object' && 'not' in wide) return [...n].every((v) => ![wide.not].flat().includes(v));
  return false;
}

/**
 * On the same metric, good/bad must be provably a subset of total (same or narrower matcher on
 * every total label) and must differ from it; otherwise the ratio is meaningless.
 */
function checkSubset({ part, narrow, total, fail }: { part: string; narrow: SeriesSelector; total: SeriesSelector; fail: Fail }): void {
  if (!narrow || !total || narrow.metric !== total.metric) return;
  const n = narrow.matchers ?? {};
  const t = total.matchers ?? {};
  if (![...Object.values(n), ...Object.values(t)].every(validMatcher)) return;
  const loose = Object.keys(t).filter((label) => !(label in n) || !narrower(label, n[label]!, t[label]!));
  if (loose.length > 0) {
    fail(`sli.${part}.matchers`, `must select a subset of sli.total; repeat or narrow the total matcher(s) ${loose.map((l) => matcherKey(l, t[l]!)).join(', ')}.`);
    return;
  }
  const same = Object.keys(n).length === Object.keys(t).length && Object.keys(t).every((label) => narrower(label, t[label]!, n[label]!));
  if (same) {
    fail(`sli.${part}`, `selects the same series as sli.total, so the ratio is always ${part === 'bad' ? '100% bad' : '100% good'}. Add a matcher that picks out the ${part} events, e.g. outcome: "failure".`);
  }
}
