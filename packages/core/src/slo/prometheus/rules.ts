import {
  BASE_WINDOW, BUDGET_CONSUMED_ANNOTATION, BURN_RATE_ANNOTATION, DESCRIPTION_ANNOTATION, EVALUATION_INTERVAL, RUNBOOK_URL_ANNOTATION,
  SEVERITY_LABEL, SLO_LABEL, SLO_SERIES, SUMMARY_ANNOTATION, WATCHDOG_ALERTNAME, WATCHDOG_ANNOTATIONS, WATCHDOG_EXPR, WATCHDOG_GROUP,
  WATCHDOG_LABELS, WINDOW_RANGE_MARGIN_SECONDS, alertGroupName, alertName, recordingGroupName,
  type Severity,
} from '../conventions.js';
import { errorBudget, exactProduct, objectiveRatio } from '../model/decimal.js';
import { durationMinutes } from '../model/duration.js';
import type { BurnRatePair, ResolvedSlice, WindowProfile } from '../model/spec.js';
import { recordedWindows, workbookWindows } from '../model/windows.js';
import { badIncreaseExpr, totalIncreaseExpr } from './sli-exprs.js';

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels: Readonly<Record<string, string>>;
}
export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}
export interface RuleGroup<R = RecordingRule | AlertingRule> {
  readonly name: string;
  readonly interval: string;
  readonly rules: readonly R[];
}
export interface PrometheusRuleSet {
  readonly recording: readonly RuleGroup<RecordingRule>[];
  readonly alerting: readonly RuleGroup<AlertingRule>[];
}

/** Labels every recording of a slice carries: `slo` plus the slice's static labels, sorted. */
export function sliceLabels(slice: ResolvedSlice): Record<string, string> {
  const labels: Record<string, string> = { [SLO_LABEL]: slice.name };
  for (const key of Object.keys(slice.labels).sort()) labels[key] = slice.labels[key]!;
  return labels;
}

/** `series{slo="name"}`: a recorded series of one slice. */
function sliceSeries(series: string, slice: ResolvedSlice): string {
  return `${series}{${SLO_LABEL}="${slice.name}"}`;
}

/** `29d23h59m30s`: a Prometheus duration for a number of seconds. */
function formatSeconds(total: number): string {
  const units = [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const;
  let rest = total;
  let out = '';
  for (const [unit, size] of units) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}

/**
 * The range that holds exactly `window / 5m` tiles under both range semantics. Tiles are
 * recorded by this group, so their timestamps are evaluation instants, whole minutes apart
 * from the instant `t` reading them; the newest tile is d = 0..4 minutes old. A range R holds
 * tiles aged d, d+5m, ... up to R: exactly window/5m of them for every d iff
 * window - 1m <= R < window (2.x, closed) and window - 1m < R <= window (3.x, left-open),
 * so any R strictly between window - 1m and window works; `window - 30s` is the middle.
 * See docs/slo-reference.md ("Windows").
 */
export function windowRange(window: string): string {
  return formatSeconds(durationMinutes(window) * 60 - WINDOW_RANGE_MARGIN_SECONDS);
}

/** Keeps a 5m increase only at the one evaluation in five that starts a 5m tile. */
function tileExpr(increase: string, slice: ResolvedSlice): string {
  const tileSeconds = durationMinutes(BASE_WINDOW) * 60;
  const evaluationSeconds = durationMinutes(EVALUATION_INTERVAL) * 60;
  return `${sliceSeries(increase, slice)} and on () (vector(time()) % ${tileSeconds} < ${evaluationSeconds})`;
}

export function recordingGroup(slice: ResolvedSlice, profile: WindowProfile = workbookWindows): RuleGroup<RecordingRule> {
  const labels = sliceLabels(slice);
  const budget = errorBudget(slice.objective);
  const rules: RecordingRule[] = [];
  const add = (record: string, expr: string) => rules.push({ record, expr, labels });
  add(SLO_SERIES.totalIncrease(BASE_WINDOW), totalIncreaseExpr(slice));
  add(SLO_SERIES.badIncrease(BASE_WINDOW), badIncreaseExpr(slice));
  const windows = recordedWindows(profile, slice.period);
  if (windows.some((w) => w !== BASE_WINDOW)) {
    add(SLO_SERIES.totalTile, tileExpr(SLO_SERIES.totalIncrease(BASE_WINDOW), slice));
    add(SLO_SERIES.badTile, tileExpr(SLO_SERIES.badIncrease(BASE_WINDOW), slice));
  }
  for (const w of windows) {
    if (w !== BASE_WINDOW) {
      // Ratio of sums: a window is the sum of back-to-back 5m tiles, each event counted once,
      // exactly window/5m tiles under Prometheus 2.x and 3.x range semantics alike.
      // Never an average of ratios, never a second raw scan.
      add(SLO_SERIES.totalIncrease(w), `sum_over_time(${sliceSeries(SLO_SERIES.totalTile, slice)}[${windowRange(w)}])`);
      add(SLO_SERIES.badIncrease(w), `sum_over_time(${sliceSeries(SLO_SERIES.badTile, slice)}[${windowRange(w)}])`);
    }
    // No traffic in the window means no ratio (not NaN, and never a made-up denominator).
    add(SLO_SERIES.errorRatio(w), `${sliceSeries(SLO_SERIES.badIncrease(w), slice)} / (${sliceSeries(SLO_SERIES.totalIncrease(w), slice)} > 0)`);
    add(SLO_SERIES.burnRate(w), `${sliceSeries(SLO_SERIES.errorRatio(w), slice)} / ${budget}`);
  }
  add(SLO_SERIES.budgetRemaining, `1 - ${sliceSeries(SLO_SERIES.errorRatio(slice.period), slice)} / ${budget}`);
  add(SLO_SERIES.objective, `vector(${objectiveRatio(slice.objective)})`);
  add(SLO_SERIES.errorBudget, `vector(${budget})`);
  add(SLO_SERIES.periodSeconds, `vector(${durationMinutes(slice.period) * 60})`);
  return { name: recordingGroupName(slice), interval: EVALUATION_INTERVAL, rules };
}

function pairCondition(slice: ResolvedSlice, pair: BurnRatePair): string {
  return [
    `${sliceSeries(SLO_SERIES.burnRate(pair.long), slice)} > ${exactProduct(pair.burnRate)}`,
    `  and ${sliceSeries(SLO_SERIES.burnRate(pair.short), slice)} > ${exactProduct(pair.burnRate)}`,
    `  and ${sliceSeries(SLO_SERIES.badIncrease(pair.long), slice)} >= ${slice.minBadEvents}`,
  ].join('\n');
}

/** Share of the period's budget a pair spends in its long window: burnRate x long / period. */
function budgetShare(slice: ResolvedSlice, pair: BurnRatePair): string {
  const share = (pair.burnRate * durationMinutes(pair.long) * 100) / durationMinutes(slice.period);
  return `${Number(share.toPrecision(3))}%`;
}

function groupSuffix(slice: ResolvedSlice): string {
  return slice.groupBy.map((l) => ` ${l}={{ $labels.${l} }}`).join('');
}

/**
 * Go template for a number with one decimal (`15790.2`, `14.4`): never exponent notation. Alert
 * texts use it for burn rates and percentages.
 */
export const ONE_DECIMAL = 'printf "%.1f"';

/** Go template that asks Prometheus for the percentage of the period's budget already spent. */
function budgetConsumedTemplate(slice: ResolvedSlice): string {
  const matchers = [`${SLO_LABEL}=\\"${slice.name}\\"`, ...slice.groupBy.map((l) => `${l}=\\"%s\\"`)].join(',');
  const args = slice.groupBy.map((l) => ` $labels.${l}`).join('');
  const query = `100 * (1 - ${SLO_SERIES.budgetRemaining}{${matchers}})`;
  return `{{ with printf "${query}"${args} | query }}{{ . | first | value | ${ONE_DECIMAL} }}%{{ else }}unknown{{ end }}`;
}

export function burnAlert(slice: ResolvedSlice, severity: Severity, pairs: readonly BurnRatePair[]): AlertingRule {
  const expr = pairs.map((p) => `(\n  ${pairCondition(slice, p).replace(/\n/g, '\n  ')}\n)`).join('\nor\n');
  const conditions = pairs
    .map((p) => `${p.long} and ${p.short} both burn faster than ${exactProduct(p.burnRate)}x (${budgetShare(slice, p)} of the ${slice.period} budget per ${p.long})`)
    .join(', or ');
  return {
    alert: alertName(slice, severity),
    expr,
    labels: { ...sliceLabels(slice), [SEVERITY_LABEL]: severity },
    annotations: {
      ...slice.annotations,
      [SUMMARY_ANNOTATION]: `${slice.description}${groupSuffix(slice)} is burning its ${slice.period} error budget ${severity === 'page' ? 'fast' : 'steadily'} (objective ${slice.objective}%).`,
      [DESCRIPTION_ANNOTATION]: `Long-window burn rate {{ $value | ${ONE_DECIMAL} }}x. Fires when ${conditions}, with at least ${slice.minBadEvents} bad events in the long window.`,
      [RUNBOOK_URL_ANNOTATION]: slice.runbookUrl,
      [BURN_RATE_ANNOTATION]: `{{ $value | ${ONE_DECIMAL} }}`,
      [BUDGET_CONSUMED_ANNOTATION]: budgetConsumedTemplate(slice),
    },
  };
}

/**
 * `<Name>NoData`: the slice's series are missing (not idle: an idle app that has served
 * traffic still reports its counters, with zero increase). Severity is the slice's
 * `noDataSeverity` (default ticket).
 */
export function noDataAlert(slice: ResolvedSlice): AlertingRule {
  return {
    alert: alertName(slice, 'nodata'),
    expr: `absent(${sliceSeries(SLO_SERIES.totalIncrease(BASE_WINDOW), slice)})`,
    for: slice.noDataFor,
    labels: { ...sliceLabels(slice), [SEVERITY_LABEL]: slice.noDataSeverity },
    annotations: {
      ...slice.annotations,
      [SUMMARY_ANNOTATION]: `${slice.description} has no data: its series are missing, so its SLO cannot be evaluated.`,
      [DESCRIPTION_ANNOTATION]:
        `The series of slice ${slice.name} (${SLO_SERIES.totalIncrease(BASE_WINDOW)}) have been missing for ${slice.noDataFor}. ` +
        'Missing is not idle: an app without traffic still reports its counters with zero increase. ' +
        'Check that Prometheus scrapes the app, that the app emits the metric (series appear after their first event), and that no deploy renamed it.',
      [RUNBOOK_URL_ANNOTATION]: slice.runbookUrl,
    },
  };
}

export function alertGroup(slice: ResolvedSlice, profile: WindowProfile = workbookWindows): RuleGroup<AlertingRule> | undefined {
  if (slice.alert === 'none') return undefined;
  const rules: AlertingRule[] = [];
  if (slice.alert === 'page') rules.push(burnAlert(slice, 'page', profile.page));
  rules.push(burnAlert(slice, 'ticket', profile.ticket), noDataAlert(slice));
  return { name: alertGroupName(slice), interval: EVALUATION_INTERVAL, rules };
}

/** The always-firing watchdog (loop health), in its own group: see `WATCHDOG_ALERTNAME`. */
export function watchdogGroup(): RuleGroup<AlertingRule> {
  return {
    name: WATCHDOG_GROUP,
    interval: EVALUATION_INTERVAL,
    rules: [{ alert: WATCHDOG_ALERTNAME, expr: WATCHDOG_EXPR, labels: { ...WATCHDOG_LABELS }, annotations: { ...WATCHDOG_ANNOTATIONS } }],
  };
}

/**
 * Recording and alerting groups for every slice, in slice order, then the watchdog group (always
 * there: the alert path is worth proving even before any slice alerts).
 */
export function generatePrometheusRules(slices: readonly ResolvedSlice[], profile: WindowProfile = workbookWindows): PrometheusRuleSet {
  return {
    recording: slices.map((s) => recordingGroup(s, profile)),
    alerting: [...slices.map((s) => alertGroup(s, profile)).filter((g): g is RuleGroup<AlertingRule> => g !== undefined), watchdogGroup()],
  };
}
