/**
 * Every name the SLO generator writes, in one place: series and alert names, label and
 * annotation names, rule-group names, receiver names, dashboard uids, window constants and the
 * config version. These are public API — dashboards, runbooks, the Alertmanager webhook and the
 * evidence store parse them — so import them from here instead of retyping the strings.
 */
import { createHash } from 'node:crypto';

/** The config and generated-file format version. Configs without `version` mean this one. */
export const CONFIG_VERSION = 'parapet/v1';
/** Every config version this release understands. */
export const CONFIG_VERSIONS = [CONFIG_VERSION] as const;
export type ConfigVersion = (typeof CONFIG_VERSIONS)[number];

/** Label on every recording and alert: the slice name. */
export const SLO_LABEL = 'slo';
/** Label on every alert: `page` or `ticket`. */
export const SEVERITY_LABEL = 'severity';
/** Alertmanager's own label with the alert rule's name. */
export const ALERTNAME_LABEL = 'alertname';
/** Values of the severity label. */
export const PAGE_SEVERITY = 'page';
export const TICKET_SEVERITY = 'ticket';
export type Severity = typeof PAGE_SEVERITY | typeof TICKET_SEVERITY;

/** Labels Parapet sets itself (or Prometheus reserves); slices cannot set or group by them. */
export const RESERVED_LABELS: readonly string[] = [SLO_LABEL, SEVERITY_LABEL, 'le', ALERTNAME_LABEL, '__name__'];

/** Annotation names on generated alerts. */
export const SUMMARY_ANNOTATION = 'summary';
export const DESCRIPTION_ANNOTATION = 'description';
export const RUNBOOK_URL_ANNOTATION = 'runbook_url';
export const BURN_RATE_ANNOTATION = 'burn_rate';
export const BUDGET_CONSUMED_ANNOTATION = 'budget_consumed';
/** Annotations Parapet generates; slices cannot set them. */
export const RESERVED_ANNOTATIONS: readonly string[] = [
  RUNBOOK_URL_ANNOTATION, SUMMARY_ANNOTATION, DESCRIPTION_ANNOTATION, BURN_RATE_ANNOTATION, BUDGET_CONSUMED_ANNOTATION,
];

/** Every 5m increase is recorded once per evaluation; every longer window is a sum of 5m tiles. */
export const BASE_WINDOW = '5m';
/** Rule groups run every minute, so the 5m window reacts quickly. */
export const EVALUATION_INTERVAL = '1m';

/** Names of the series the generator records. */
export const SLO_SERIES = {
  /** Events in the last 5m (recorded every evaluation) or in a longer window (sum of tiles). */
  totalIncrease: (window: string) => `parapet_slo:total:increase${window}`,
  badIncrease: (window: string) => `parapet_slo:bad:increase${window}`,
  /**
   * The 5m increase recorded only at the one evaluation in five that starts a 5m tile, so
   * consecutive samples cover back-to-back 5m intervals. Longer windows sum these.
   */
  totalTile: `parapet_slo:total:tile${BASE_WINDOW}`,
  badTile: `parapet_slo:bad:tile${BASE_WINDOW}`,
  errorRatio: (window: string) => `parapet_slo:error_ratio:${window}`,
  burnRate: (window: string) => `parapet_slo:burn_rate:${window}`,
  budgetRemaining: 'parapet_slo:error_budget_remaining:ratio',
  objective: 'parapet_slo:objective:ratio',
  errorBudget: 'parapet_slo:error_budget:ratio',
  periodSeconds: 'parapet_slo:period:seconds',
} as const;

/** Prefix of every rule group Parapet generates. */
export const RULE_GROUP_PREFIX = 'parapet_slo_';

/** `login_journey` -> `LoginJourney`. */
export function camelCase(name: string): string {
  return name.split('_').filter(Boolean).map((p) => p[0]!.toUpperCase() + p.slice(1)).join('');
}

export type AlertKind = Severity | 'nodata';

/** `LoginJourneyBudgetBurnPage`, `LoginJourneyBudgetBurnTicket`, `LoginJourneyNoData`. */
export function alertName(slice: { readonly name: string }, kind: AlertKind): string {
  const base = camelCase(slice.name);
  return kind === 'nodata' ? `${base}NoData` : `${base}BudgetBurn${kind === PAGE_SEVERITY ? 'Page' : 'Ticket'}`;
}

export function recordingGroupName(slice: { readonly name: string }): string {
  return `${RULE_GROUP_PREFIX}${slice.name}_recordings`;
}

export function alertGroupName(slice: { readonly name: string }): string {
  return `${RULE_GROUP_PREFIX}${slice.name}_alerts`;
}

/**
 * Loop health: an alert that always fires (`vector(1)`), routed to Parapet's webhook alone, so the
 * evidence store sees a heartbeat while the path Prometheus → Alertmanager → webhook works and
 * reports "the alert path is broken" when it stops. `parapet gen prometheus` emits it in its own
 * group, `parapet gen alertmanager` routes it; @parapet/evidence-pg recognises it by this name.
 */
export const WATCHDOG_ALERTNAME = 'ParapetWatchdog';
export const WATCHDOG_EXPR = 'vector(1)';
/** Its severity: neither page nor ticket, so no severity route or inhibition ever matches it. */
export const WATCHDOG_SEVERITY = 'none';
export const WATCHDOG_GROUP = `${RULE_GROUP_PREFIX}watchdog`;
export const WATCHDOG_LABELS: Readonly<Record<string, string>> = { [SEVERITY_LABEL]: WATCHDOG_SEVERITY, parapet: 'watchdog' };
export const WATCHDOG_ANNOTATIONS: Readonly<Record<string, string>> = {
  [SUMMARY_ANNOTATION]: 'Always firing: proves the alert path reaches Parapet.',
  [DESCRIPTION_ANNOTATION]: 'If Parapet stops receiving this alert, the path from Prometheus through Alertmanager to the webhook is broken.',
};
/**
 * How long the evidence store waits for a heartbeat before it reports the alert path broken
 * (@parapet/evidence-pg `heartbeatMaxAgeMs` default): 15 minutes.
 */
export const WATCHDOG_HEARTBEAT_MAX_AGE_MS = 15 * 60_000;
/**
 * The watchdog route's timing. Alertmanager re-sends an unchanged firing group after
 * `repeat_interval`, checked every `group_interval`: a heartbeat at least every 6 minutes, well
 * inside `WATCHDOG_HEARTBEAT_MAX_AGE_MS` even when one notification is lost and retried.
 */
export const WATCHDOG_ROUTE_TIMING = { group_wait: '0s', group_interval: '1m', repeat_interval: '5m' } as const;

/** Alertmanager receivers: Parapet's webhook (evidence), then pages and tickets. */
export const WEBHOOK_RECEIVER = 'parapet-webhook';
export const PAGE_RECEIVER = 'parapet-page';
export const TICKET_RECEIVER = 'parapet-ticket';

/** Grafana uids. */
export const OVERVIEW_DASHBOARD_UID = 'parapet-overview';
export const DEFAULT_DATASOURCE_UID = 'parapet-prometheus';
/** Name of the provisioned Prometheus datasource. */
export const DATASOURCE_NAME = 'Parapet Prometheus';
/** Tags on every generated dashboard (the overview lists dashboards by them). */
export const DASHBOARD_TAGS: readonly string[] = ['parapet', 'slo'];
/** Grafana uids are at most 40 characters. */
export const MAX_DASHBOARD_UID_LENGTH = 40;

/** A slice's dashboard uid; long slice names get a stable hash suffix. */
export function sliceDashboardUid(slice: { readonly name: string }): string {
  const uid = `parapet-${slice.name.replace(/_/g, '-')}`;
  if (uid.length <= MAX_DASHBOARD_UID_LENGTH) return uid;
  return `${uid.slice(0, 31).replace(/-+$/, '')}-${createHash('sha256').update(slice.name).digest('hex').slice(0, 8)}`;
}

/**
 * Long windows read their 5m tiles over a range this many seconds shorter than the window, so
 * the range holds exactly window/5m tiles under Prometheus 2.x (closed) and 3.x (left-open)
 * ranges alike (see `windowRange` and docs/slo-reference.md).
 */
export const WINDOW_RANGE_MARGIN_SECONDS = 30;
