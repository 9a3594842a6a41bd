import type { ConfigVersion, Severity } from '../conventions.js';

/**
 * The SLO model. A slice is one promise to users ("99.9% of logins succeed over 30 days"),
 * declared with metric names and label matchers only: the generator writes all PromQL.
 */

/**
 * A label matcher value:
 * - `'5xx'`: equals
 * - `['2xx', '3xx']`: one of (rendered as an escaped alternation)
 * - `{ not: 'aborted' }` / `{ not: ['a', 'b'] }`: none of
 * - `{ regex: '5..|429' }`: matches a regular expression (anchored, RE2)
 */
export type MatcherValue = string | readonly string[] | { readonly not: string | readonly string[] } | { readonly regex: string };

/** A metric name plus label matchers. Never raw PromQL. */
export interface SeriesSelector {
  readonly metric: string;
  readonly matchers?: Readonly<Record<string, MatcherValue>>;
}

/** Good or bad events over all events, from counters. Give exactly one of `good` and `bad`. */
export interface EventRatioSli {
  readonly kind: 'event-ratio';
  readonly total: SeriesSelector;
  readonly good?: SeriesSelector;
  readonly bad?: SeriesSelector;
}

/**
 * Share of events faster than a threshold, from a histogram. `threshold` (seconds) must be one
 * of the histogram's bucket boundaries; `le="1"` and `le="1.0"` are treated alike.
 */
export interface LatencySli {
  readonly kind: 'latency';
  /** Histogram base name, without `_bucket` or `_count`. */
  readonly metric: string;
  readonly matchers?: Readonly<Record<string, MatcherValue>>;
  readonly threshold: number | string;
  /** Bucket boundaries, required only for histograms that are not in Parapet's catalog. */
  readonly buckets?: readonly number[];
}

/**
 * Share of one-minute time slices in which the age of the last good event stayed under
 * `maxAgeSeconds`. `gauge: 'age'` reads an age in seconds (oldest waiting job);
 * `gauge: 'timestamp'` reads a Unix time of the last success (age = time() - value).
 */
export interface FreshnessSli {
  readonly kind: 'freshness';
  readonly metric: string;
  readonly matchers?: Readonly<Record<string, MatcherValue>>;
  readonly gauge: 'age' | 'timestamp';
  readonly maxAgeSeconds: number;
}

export type Sli = EventRatioSli | LatencySli | FreshnessSli;

/** page: page and ticket alerts; ticket: ticket alerts only; none: recordings and dashboards only. */
export type AlertClass = 'page' | 'ticket' | 'none';
export type SloPeriod = '28d' | '30d';

export interface SliceSpec {
  /** Prometheus-safe snake_case name, unique across all providers: `web_saas_login_journey`. */
  readonly name: string;
  /** One line for humans; used in alert summaries and dashboard titles. */
  readonly description?: string;
  /** Percentage of good events, 0 < objective < 100: `99.9`. */
  readonly objective: number;
  /** Rolling SLO period. Default `30d`. */
  readonly period?: SloPeriod;
  readonly alert: AlertClass;
  /** Required: where the on-call engineer goes when this slice alerts. */
  readonly runbookUrl: string;
  readonly sli: Sli;
  /** Labels kept through aggregation: one alert and one dashboard row per combination. */
  readonly groupBy?: readonly string[];
  /** Static labels added to every recording and alert of this slice (team, tier, ...). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Extra annotations added to every alert of this slice. */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * Minimum number of bad events a burn-rate condition needs in its long window. Default 5:
   * one failed request never pages, a full outage at 1 request/minute pages within minutes.
   */
  readonly minBadEvents?: number;
  /** How long the total series must stay absent before `<Name>NoData` fires. Default `10m`. */
  readonly noDataFor?: string;
  /**
   * Severity of `<Name>NoData` (the slice's series are missing, so its SLO cannot be judged).
   * Default `ticket`: missing series usually mean a scrape or deploy problem, not users failing,
   * and a page for every broken scrape target teaches on-call to ignore pages. Set `page` for
   * slices whose silence is itself an outage you must hear about at night.
   */
  readonly noDataSeverity?: Severity;
}

/** A slice with defaults applied, validated, and attributed to the provider that returned it. */
export interface ResolvedSlice extends Required<Omit<SliceSpec, 'description'>> {
  readonly description: string;
  readonly provider: string;
}

/** Anything that contributes slices: a starter pack, an integration, your own module. */
export interface Provider {
  /** Shown in error messages, e.g. duplicate slice names: `@parapet/starter-pack-web-saas`. */
  readonly name: string;
  slices(): readonly SliceSpec[];
}

/** One burn-rate condition: both windows above `burnRate` times the budget. */
export interface BurnRatePair {
  readonly long: string;
  readonly short: string;
  readonly burnRate: number;
}

/** The alert windows. The default is the SRE workbook's; shorter profiles suit demos and tests. */
export interface WindowProfile {
  readonly page: readonly BurnRatePair[];
  readonly ticket: readonly BurnRatePair[];
}

export interface AlertmanagerOptions {
  /** URL of Parapet's own Alertmanager webhook, e.g. `https://app.example.com/parapet/alertmanager`. */
  readonly webhookUrl: string;
  /**
   * Required by `generateAlertmanagerConfig` (there is no default path): path, on the Alertmanager host, of the file holding the bearer token Parapet's
   * webhook expects (the same secret your app reads). Alertmanager reads it on every
   * notification; you create it (a Kubernetes secret mount, a file your config management
   * writes). `false` sends no Authorization header, for a webhook mounted as explicitly public.
   */
  readonly bearerTokenFile?: string | false;
  /**
   * Alertmanager receiver bodies (without `name`) for pages and tickets, e.g.
   * `{ pagerduty_configs: [...] }` or `{ slack_configs: [...] }`. Without them pages and tickets
   * reach only Parapet's webhook. See docs/alertmanager-receivers.md.
   */
  readonly pageReceiver?: Readonly<Record<string, unknown>>;
  readonly ticketReceiver?: Readonly<Record<string, unknown>>;
}

export interface GrafanaOptions {
  /** Datasource uid used by every panel and by the provisioning file. Default `parapet-prometheus`. */
  readonly datasourceUid?: string;
  /** Prometheus URL written into the datasource provisioning file. Default `http://prometheus:9090`. */
  readonly prometheusUrl?: string;
  /** Folder dashboards are provisioned into. Default `Parapet`. */
  readonly folder?: string;
  /** Path Grafana reads dashboards from. Default `/var/lib/grafana/dashboards/parapet`. */
  readonly dashboardsPath?: string;
}

export interface ParapetConfig {
  /** Config format version. Default (and the only one today) `parapet/v1`; unknown versions are errors. */
  readonly version?: ConfigVersion;
  readonly providers: readonly Provider[];
  /** Alert windows. Default: the SRE workbook profile (`workbookWindows`). */
  readonly windows?: WindowProfile;
  /** Default `minBadEvents` for slices that do not set one. */
  readonly minBadEvents?: number;
  readonly alertmanager?: AlertmanagerOptions;
  readonly grafana?: GrafanaOptions;
}
