import { budgetOf, exactProduct, objectiveRatio } from './decimal.js';
import { durationMinutes, formatMinutes } from './duration.js';
import { SERIES, alertGroupName, alertName, recordingGroupName } from './names.js';
import { badIncreaseExpr, totalIncreaseExpr } from './sli-exprs.js';
import type { BurnRatePair, WindowProfile } from './spec.js';
import type { ResolvedSlice } from './validate.js';
import { BASE_WINDOW, EVALUATION_INTERVAL, recordedWindows, workbookWindows } from './windows.js';

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
  const labels: Record<string, string> = { slo: slice.name };
  for (const key of Object.keys(slice.labels).sort()) labels[key] = slice.labels[key]!;
  return labels;
}

const sel = (series: string, slice: ResolvedSlice) => `${series}{slo="${slice.name}"}`;

export function recordingGroup(slice: ResolvedSlice, profile: WindowProfile = workbookWindows): RuleGroup<RecordingRule> {
  const labels = sliceLabels(slice);
  const budget = budgetOf(slice.objective);
  const rules: RecordingRule[] = [];
  const add = (record: string, expr: string) => rules.push({ record, expr, labels });
  add(SERIES.totalIncrease(BASE_WINDOW), totalIncreaseExpr(slice));
  add(SERIES.badIncrease(BASE_WINDOW), badIncreaseExpr(slice));
  for (const w of recordedWindows(profile, slice.period)) {
    if (w !== BASE_WINDOW) {
      // Ratio of sums: a window is the sum of back-to-back recorded 5m increases, read every 5m
      // so each event counts once. Never an average of ratios, never a second raw scan.
      add(SERIES.totalIncrease(w), `sum_over_time(${sel(SERIES.totalIncrease(BASE_WINDOW), slice)}[${w}:${BASE_WINDOW}])`);
      add(SERIES.badIncrease(w), `sum_over_time(${sel(SERIES.badIncrease(BASE_WINDOW), slice)}[${w}:${BASE_WINDOW}])`);
    }
    // No traffic in the window means no ratio (not NaN, and never a made-up denominator).
    add(SERIES.errorRatio(w), `${sel(SERIES.badIncrease(w), slice)} / (${sel(SERIES.totalIncrease(w), slice)} > 0)`);
    add(SERIES.burnRate(w), `${sel(SERIES.errorRatio(w), slice)} / ${budget}`);
  }
  add(SERIES.budgetRemaining, `1 - ${sel(SERIES.errorRatio(slice.period), slice)} / ${budget}`);
  add(SERIES.objective, `vector(${objectiveRatio(slice.objective)})`);
  add(SERIES.errorBudget, `vector(${budget})`);
  add(SERIES.periodSeconds, `vector(${durationMinutes(slice.period) * 60})`);
  return { name: recordingGroupName(slice), interval: EVALUATION_INTERVAL, rules };
}

function pairCondition(slice: ResolvedSlice, pair: BurnRatePair): string {
  return [
    `${sel(SERIES.burnRate(pair.long), slice)} > ${exactProduct(pair.burnRate)}`,
    `  and ${sel(SERIES.burnRate(pair.short), slice)} > ${exactProduct(pair.burnRate)}`,
    `  and ${sel(SERIES.badIncrease(pair.long), slice)} >= ${slice.minBadEvents}`,
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

/** Go template that asks Prometheus for the share of the period's budget already spent. */
function budgetConsumedTemplate(slice: ResolvedSlice): string {
  const matchers = [`slo=\\"${slice.name}\\"`, ...slice.groupBy.map((l) => `${l}=\\"%s\\"`)].join(',');
  const args = slice.groupBy.map((l) => ` $labels.${l}`).join('');
  const query = `1 - ${SERIES.budgetRemaining}{${matchers}}`;
  return `{{ with printf "${query}"${args} | query }}{{ . | first | value | humanizePercentage }}{{ else }}unknown{{ end }}`;
}

export function burnAlert(slice: ResolvedSlice, severity: 'page' | 'ticket', pairs: readonly BurnRatePair[]): AlertingRule {
  const expr = pairs.map((p) => `(\n  ${pairCondition(slice, p).replace(/\n/g, '\n  ')}\n)`).join('\nor\n');
  const conditions = pairs
    .map((p) => `${p.long} and ${p.short} both burn faster than ${exactProduct(p.burnRate)}x (${budgetShare(slice, p)} of the ${slice.period} budget per ${p.long})`)
    .join(', or ');
  return {
    alert: alertName(slice, severity),
    expr,
    labels: { ...sliceLabels(slice), severity },
    annotations: {
      ...slice.annotations,
      summary: `${slice.description}${groupSuffix(slice)} is burning its ${slice.period} error budget ${severity === 'page' ? 'fast' : 'steadily'} (objective ${slice.objective}%).`,
      description: `Long-window burn rate {{ $value | humanize }}x. Fires when ${conditions}, with at least ${slice.minBadEvents} bad events in the long window.`,
      runbook_url: slice.runbookUrl,
      burn_rate: '{{ $value | humanize }}',
      budget_consumed: budgetConsumedTemplate(slice),
    },
  };
}

export function noDataAlert(slice: ResolvedSlice): AlertingRule {
  const severity = slice.alert === 'page' ? 'page' : 'ticket';
  return {
    alert: alertName(slice, 'nodata'),
    expr: `absent(${sel(SERIES.totalIncrease(BASE_WINDOW), slice)})`,
    for: slice.noDataFor,
    labels: { ...sliceLabels(slice), severity },
    annotations: {
      ...slice.annotations,
      summary: `${slice.description} has no data: its total series is absent, so its SLO cannot be evaluated.`,
      description: `No events matched the total selector of slice ${slice.name} for ${formatMinutes(durationMinutes(slice.noDataFor) + durationMinutes(BASE_WINDOW))}. Check that the app is scraped and the metric is emitted; silence is not health.`,
      runbook_url: slice.runbookUrl,
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

/** Recording and alerting groups for every slice, in slice order. */
export function generatePrometheusRules(slices: readonly ResolvedSlice[], profile: WindowProfile = workbookWindows): PrometheusRuleSet {
  return {
    recording: slices.map((s) => recordingGroup(s, profile)),
    alerting: slices.map((s) => alertGroup(s, profile)).filter((g): g is RuleGroup<AlertingRule> => g !== undefined),
  };
}
