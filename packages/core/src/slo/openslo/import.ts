import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type * as z from 'zod';
import { PAGE_SEVERITY, TICKET_SEVERITY } from '../conventions.js';
import { defineProvider } from '../model/define.js';
import { SloSpecError } from '../model/spec-error.js';
import type { MatcherValue, Provider, SeriesSelector, Sli, SliceSpec, SloPeriod } from '../model/spec.js';
import { OPENSLO_ANNOTATIONS, PROMETHEUS_SOURCE } from './export.js';
import { OPENSLO_API_VERSION, OPENSLO_KINDS, schemaByKind, type OpenSloKind } from './schema.js';

type Obj = Record<string, unknown>;

/** Where a problem is: `SLO "checkout" (document 2): spec.budgetingMethod`. */
const where = (kind: string, name: string, doc: number, path: string) => `${kind} "${name}" (document ${doc}): ${path}`;

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

/** Splits a PromQL string literal list / selector body into matchers. */
function parseString(text: string, at: number): { value: string; end: number } {
  const q = text[at];
  if (q !== '"' && q !== "'") throw new Error(`expected a quoted string at "${text.slice(at, at + 20)}"`);
  let out = '';
  let i = at + 1;
  while (i < text.length && text[i] !== q) {
    if (text[i] === '\\') {
      const c = text[i + 1]!;
      out += c === 'n' ? '\n' : c;
      i += 2;
    } else out += text[i++];
  }
  if (text[i] !== q) throw new Error('unterminated string');
  return { value: out, end: i + 1 };
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/;

/** `a|b` of escaped literals -> ['a', 'b']; anything with regex syntax -> undefined. */
function literalAlternation(regex: string): string[] | undefined {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < regex.length; i++) {
    const c = regex[i]!;
    if (c === '\\' && i + 1 < regex.length && REGEX_SPECIAL.test(regex[i + 1]!)) current += regex[++i];
    else if (c === '|') {
      parts.push(current);
      current = '';
    } else if (REGEX_SPECIAL.test(c)) return undefined;
    else current += c;
  }
  parts.push(current);
  return parts;
}

interface ParsedSelector { metric: string; matchers: Record<string, MatcherValue>; le?: string }

/** `metric{a="x",b=~"y|z",c!="w"}` -> a SeriesSelector (an `le` matcher is returned apart). */
export function parseSelector(text: string): ParsedSelector {
  const m = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{([\s\S]*)\})?\s*$/.exec(text);
  if (!m) throw new Error(`"${text}" is not a series selector like metric{label="value"}`);
  const matchers: Record<string, MatcherValue> = {};
  let le: string | undefined;
  const body = m[3] ?? '';
  let i = 0;
  while (i < body.length) {
    const lm = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*/.exec(body.slice(i));
    if (!lm) {
      if (/^\s*,?\s*$/.test(body.slice(i))) break;
      throw new Error(`cannot read the matcher at "${body.slice(i)}"`);
    }
    i += lm[0].length;
    const { value, end } = parseString(body, i);
    i = end;
    const rest = /^\s*,?/.exec(body.slice(i))!;
    i += rest[0].length;
    const [, label, op] = lm;
    if (label === 'le') {
      le = op === '=' ? value : op === '=~' ? value : undefined;
      if (le === undefined) throw new Error('the le matcher must be = or =~');
      continue;
    }
    const literals = op === '=~' || op === '!~' ? literalAlternation(value) : undefined;
    matchers[label!] =
      op === '=' ? value
      : op === '!=' ? { not: value }
      : op === '=~' ? (literals ?? { regex: value })
      : literals ? { not: literals } : (() => { throw new Error(`!~"${value}" with regex syntax cannot be expressed; use a list of values`); })();
  }
  return { metric: m[1]!, matchers, ...(le === undefined ? {} : { le }) };
}

interface Aggregated { groupBy: string[]; inner: string }

/** `sum (X)` / `sum by (a, b) (X)` / `sum(X)` -> groupBy and X; anything else is its own inner. */
function unwrapSum(query: string): Aggregated {
  const m = /^\s*sum\s*(?:by\s*\(([^)]*)\)\s*)?\(([\s\S]*)\)\s*$/.exec(query);
  if (!m) return { groupBy: [], inner: query.trim() };
  const groupBy = (m[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return { groupBy, inner: m[2]!.trim() };
}

/** `increase(SEL[5m])`, `rate(SEL[5m])` or a bare selector -> SEL. */
function counterSelector(inner: string): ParsedSelector {
  const m = /^(?:increase|rate)\s*\(([\s\S]*)\[[0-9]+[smhdwy]\]\s*\)$/.exec(inner);
  return parseSelector(m ? m[1]! : inner);
}

const selector = (p: ParsedSelector): SeriesSelector => (Object.keys(p.matchers).length > 0 ? { metric: p.metric, matchers: p.matchers } : { metric: p.metric });

/**
 * The SLI behind a ratio metric's Prometheus queries: counters (event ratio), a histogram's
 * threshold bucket over its count (latency), or the generated freshness expressions.
 */
export function sliFromQueries(args: { good?: string; bad?: string; total: string; counter: boolean }): { sli: Sli; groupBy: string[] } {
  const total = unwrapSum(args.total);
  const narrowText = args.good ?? args.bad!;
  const narrow = unwrapSum(narrowText);
  const fresh = /^count_over_time\s*\(([\s\S]*)\[5m:1m\]\s*\)$/.exec(total.inner);
  if (fresh) {
    if (args.good) throw new Error('a freshness ratio needs bad (stale minutes), not good');
    const gauge = parseSelector(fresh[1]!);
    const b = /^sum_over_time\s*\(\s*\(([\s\S]*) > bool ([0-9.e+]+)\)\[5m:1m\]\s*\)$/.exec(narrow.inner);
    if (!b) throw new Error('the bad query of a freshness ratio must be sum_over_time((<age> > bool <seconds>)[5m:1m])');
    const ts = /^\(time\(\) - ([\s\S]*)\)$/.exec(b[1]!.trim());
    return {
      groupBy: total.groupBy,
      sli: { kind: 'freshness', ...selector(gauge), gauge: ts ? 'timestamp' : 'age', maxAgeSeconds: Number(b[2]) },
    };
  }
  if (!args.counter) throw new Error('counter: false is only supported for the freshness form (count_over_time/sum_over_time subqueries)');
  const t = counterSelector(total.inner);
  const n = counterSelector(narrow.inner);
  if (n.metric.endsWith('_bucket') && t.metric.endsWith('_count') && n.metric.slice(0, -7) === t.metric.slice(0, -6) && n.le !== undefined && args.good) {
    const le = /^([0-9.]+)(?:\(\\\.0\)\?)?$/.exec(n.le);
    if (!le) throw new Error(`le matcher "${n.le}" is not a bucket boundary`);
    return { groupBy: total.groupBy, sli: { kind: 'latency', metric: t.metric.slice(0, -6), ...(Object.keys(t.matchers).length > 0 ? { matchers: t.matchers } : {}), threshold: Number(le[1]) } };
  }
  return {
    groupBy: total.groupBy,
    sli: { kind: 'event-ratio', total: selector(t), ...(args.good ? { good: selector(n) } : { bad: selector(n) }) },
  };
}

const PERIODS: Record<string, SloPeriod> = { '30d': '30d', '28d': '28d', '4w': '28d' };
const SEVERITIES: Record<string, typeof PAGE_SEVERITY | typeof TICKET_SEVERITY> = { page: 'page', critical: 'page', ticket: 'ticket', warning: 'ticket' };

export interface ParseOpenSloOptions {
  /** Runbook for SLOs without a `parapet.dev/runbook-url` annotation. */
  readonly runbookUrl?: string;
  /** Shown in error messages (the file name). */
  readonly source?: string;
}

/**
 * Reads OpenSLO v1 YAML (one or more documents) into Parapet slices. Every object is validated
 * against the v1 schema; ratio SLIs with a Prometheus metric source become slices; what Parapet
 * cannot express (threshold metrics, raw ratios, timeslice budgeting, composite SLOs, calendar
 * windows, several objectives) is rejected naming the object and the field.
 */
export function parseOpenSlo(text: string, options: ParseOpenSloOptions = {}): SliceSpec[] {
  const problems: string[] = [];
  const prefix = options.source ? `${options.source}: ` : '';
  const docs = parseAllDocuments(text);
  const objects: { kind: OpenSloKind; name: string; doc: number; value: Obj }[] = [];
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((d, i) => {
    const doc = i + 1;
    if (d.errors.length > 0) {
      problems.push(`${prefix}document ${doc}: not valid YAML: ${d.errors[0]!.message}`);
      return;
    }
    const value = d.toJS() as unknown;
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`${prefix}document ${doc}: expected an OpenSLO object (apiVersion, kind, metadata, spec).`);
      return;
    }
    const o = value as Obj;
    const name = String((o.metadata as Obj | undefined)?.name ?? '?');
    if (o.apiVersion !== OPENSLO_API_VERSION) {
      problems.push(`${prefix}${where(String(o.kind ?? 'object'), name, doc, 'apiVersion')}: must be "${OPENSLO_API_VERSION}", got ${JSON.stringify(o.apiVersion)}${String(o.apiVersion).includes('v1alpha') ? ' (v1alpha files: convert them with `oslo convert` first)' : ''}.`);
      return;
    }
    if (!OPENSLO_KINDS.includes(o.kind as OpenSloKind)) {
      problems.push(`${prefix}${where(String(o.kind), name, doc, 'kind')}: must be one of ${OPENSLO_KINDS.join(', ')}.`);
      return;
    }
    const kind = o.kind as OpenSloKind;
    const result = (schemaByKind[kind] as z.ZodType).safeParse(o);
    if (!result.success) {
      for (const issue of result.error.issues) problems.push(`${prefix}${where(kind, name, doc, formatPath(issue.path) || '(object)')}: ${issue.message}`);
      return;
    }
    objects.push({ kind, name, doc, value: result.data as Obj });
  });
  const byName = (kind: OpenSloKind, name: string) => objects.find((o) => o.kind === kind && o.name === name);
  const slices: SliceSpec[] = [];
  for (const slo of objects.filter((o) => o.kind === 'SLO')) {
    const fail = (path: string, message: string) => problems.push(`${prefix}${where('SLO', slo.name, slo.doc, path)}: ${message}`);
    const spec = slo.value.spec as Obj;
    const metadata = slo.value.metadata as Obj;
    const annotations = (metadata.annotations ?? {}) as Record<string, string>;
    const before = problems.length;
    if (spec.budgetingMethod !== 'Occurrences') fail('spec.budgetingMethod', `${String(spec.budgetingMethod)} budgeting is not supported: Parapet budgets Occurrences (bad events over all events).`);
    const window = (spec.timeWindow as Obj[])[0]!;
    if (window.calendar) fail('spec.timeWindow[0].calendar', 'calendar windows are not supported: Parapet SLOs use a rolling 30d or 28d window (isRolling: true).');
    const period = PERIODS[String(window.duration)];
    if (!period) fail('spec.timeWindow[0].duration', `must be 30d or 28d (4w), got ${String(window.duration)}.`);
    const objectives = spec.objectives as Obj[];
    if (objectives.length > 1) fail('spec.objectives', `has ${objectives.length} objectives; a Parapet slice has one. Split them into separate SLOs.`);
    const objective = objectives[0]!;
    for (const key of ['indicator', 'indicatorRef', 'compositeWeight'] as const) if (objective[key] !== undefined) fail(`spec.objectives[0].${key}`, 'composite SLOs are not supported: give the SLO one indicator.');
    for (const key of ['timeSliceTarget', 'timeSliceWindow'] as const) if (objective[key] !== undefined) fail(`spec.objectives[0].${key}`, 'time slices are not supported with Occurrences budgeting.');
    if (objective.op !== undefined || objective.value !== undefined) fail('spec.objectives[0].value', 'op/value belong to threshold metrics, which Parapet does not import.');
    let indicatorPath = 'spec.indicator';
    let indicator = spec.indicator as Obj | undefined;
    if (!indicator && typeof spec.indicatorRef === 'string') {
      const ref = byName('SLI', spec.indicatorRef);
      if (!ref) fail('spec.indicatorRef', `no SLI named "${spec.indicatorRef}" in this file.`);
      else {
        indicator = ref.value;
        indicatorPath = `SLI "${ref.name}" spec`;
      }
    }
    if (!indicator && typeof spec.indicatorRef !== 'string') fail('spec.indicator', 'an indicator (or indicatorRef) is required.');
    let sli: Sli | undefined;
    let groupBy: string[] = [];
    if (indicator) {
      const s = indicator.spec as Obj;
      const base = indicatorPath === 'spec.indicator' ? 'spec.indicator.spec' : indicatorPath;
      if (s.thresholdMetric) fail(`${base}.thresholdMetric`, 'threshold metrics are not supported: Parapet imports ratio metrics (good or bad over total).');
      const ratio = s.ratioMetric as Obj | undefined;
      if (ratio?.raw) fail(`${base}.ratioMetric.raw`, 'raw ratios are not supported: give good (or bad) and total counters, so long windows are ratios of sums.');
      if (ratio && !ratio.raw) {
        const queries: Record<string, string> = {};
        for (const key of ['good', 'bad', 'total'] as const) {
          const m = ratio[key] as Obj | undefined;
          if (!m) continue;
          const source = m.metricSource as Obj;
          const ref = typeof source.metricSourceRef === 'string' ? byName('DataSource', source.metricSourceRef) : undefined;
          const type = String(source.type ?? ((ref?.value.spec as Obj | undefined)?.type ?? ''));
          if (type.toLowerCase() !== PROMETHEUS_SOURCE.toLowerCase()) {
            fail(`${base}.ratioMetric.${key}.metricSource.type`, `must be Prometheus (or a metricSourceRef to a Prometheus DataSource), got ${JSON.stringify(type || undefined)}.`);
            continue;
          }
          const q = (source.spec as Obj).query ?? (source.spec as Obj).promql;
          if (typeof q !== 'string') fail(`${base}.ratioMetric.${key}.metricSource.spec.query`, 'a PromQL query string is required.');
          else queries[key] = q;
        }
        if (problems.length === before) {
          try {
            const parsed = sliFromQueries({ ...(queries.good ? { good: queries.good } : { bad: queries.bad! }), total: queries.total!, counter: ratio.counter === true });
            sli = parsed.sli;
            groupBy = parsed.groupBy;
          } catch (error) {
            fail(`${base}.ratioMetric`, `${(error as Error).message}. Parapet reads counters: sum(increase(<metric>{...}[5m])) for good or bad and total.`);
          }
        }
      }
    }
    const severities = new Set<string>();
    (spec.alertPolicies as Obj[]).forEach((p, i) => {
      if (p.alertPolicyRef) {
        fail(`spec.alertPolicies[${i}].alertPolicyRef`, 'referenced alert policies are not supported; inline the AlertPolicy (Parapet generates alerts from its window profile).');
        return;
      }
      const conditions = ((p.spec as Obj).conditions as Obj[]) ?? [];
      conditions.forEach((c, j) => {
        if (c.conditionRef) {
          const ref = byName('AlertCondition', String(c.conditionRef));
          if (!ref) return fail(`spec.alertPolicies[${i}].spec.conditions[${j}].conditionRef`, `no AlertCondition named "${String(c.conditionRef)}" in this file.`);
          c = ref.value;
        }
        const severity = SEVERITIES[String((c.spec as Obj).severity).toLowerCase()];
        if (!severity) fail(`spec.alertPolicies[${i}].spec.conditions[${j}].spec.severity`, `must be page (or critical) or ticket (or warning), got "${String((c.spec as Obj).severity)}".`);
        else severities.add(severity);
      });
    });
    const runbookUrl = annotations[OPENSLO_ANNOTATIONS.runbookUrl] ?? options.runbookUrl;
    if (!runbookUrl) fail(`metadata.annotations["${OPENSLO_ANNOTATIONS.runbookUrl}"]`, 'a runbook URL is required (or pass one for the whole file: --runbook-url).');
    const labels = (metadata.labels ?? {}) as Record<string, string | string[]>;
    for (const [k, v] of Object.entries(labels)) if (Array.isArray(v)) fail(`metadata.labels.${k}`, 'list values cannot become Prometheus labels; give one string.');
    const json = <T>(key: string): T | undefined => {
      const raw = annotations[key];
      if (raw === undefined) return undefined;
      try {
        return JSON.parse(raw) as T;
      } catch {
        fail(`metadata.annotations["${key}"]`, 'must be JSON.');
        return undefined;
      }
    };
    const alertAnnotations = json<Record<string, string>>(OPENSLO_ANNOTATIONS.alertAnnotations);
    const buckets = json<number[]>(OPENSLO_ANNOTATIONS.histogramBuckets);
    if (problems.length > before || !sli || !period) continue;
    if (buckets && sli.kind === 'latency') sli = { ...sli, buckets };
    const objectivePercent = objective.targetPercent !== undefined ? Number(objective.targetPercent) : Number((Number(objective.target) * 100).toPrecision(12));
    const description = (spec.description as string | undefined) ?? (metadata.displayName as string | undefined);
    const minBad = annotations[OPENSLO_ANNOTATIONS.minBadEvents];
    const noDataFor = annotations[OPENSLO_ANNOTATIONS.noDataFor];
    const noDataSeverity = annotations[OPENSLO_ANNOTATIONS.noDataSeverity];
    slices.push({
      name: annotations[OPENSLO_ANNOTATIONS.slice] ?? slo.name.replace(/-/g, '_'),
      ...(description !== undefined ? { description } : {}),
      objective: objectivePercent,
      period,
      alert: severities.has(PAGE_SEVERITY) ? 'page' : severities.has(TICKET_SEVERITY) ? 'ticket' : 'none',
      runbookUrl: runbookUrl!,
      sli,
      ...(groupBy.length > 0 ? { groupBy } : {}),
      ...(Object.keys(labels).length > 0 ? { labels: labels as Record<string, string> } : {}),
      ...(alertAnnotations ? { annotations: alertAnnotations } : {}),
      ...(minBad !== undefined ? { minBadEvents: Number(minBad) } : {}),
      ...(noDataFor !== undefined ? { noDataFor } : {}),
      ...(noDataSeverity === 'page' || noDataSeverity === 'ticket' ? { noDataSeverity } : {}),
    });
  }
  if (problems.length === 0 && slices.length === 0) problems.push(`${prefix}no SLO objects found (expected documents with apiVersion: ${OPENSLO_API_VERSION} and kind: SLO).`);
  if (problems.length > 0) throw new SloSpecError(problems);
  return slices;
}

/** A slice provider that loads OpenSLO v1 files: `openSloProvider('slos/checkout.yaml')`. */
export function openSloProvider(file: string, options: Omit<ParseOpenSloOptions, 'source'> = {}): Provider {
  return defineProvider(`openslo:${basename(file)}`, () => parseOpenSlo(readFileSync(file, 'utf8'), { ...options, source: file }));
}
