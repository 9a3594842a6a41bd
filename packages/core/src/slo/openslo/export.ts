import { createHash } from 'node:crypto';
import { PAGE_SEVERITY, TICKET_SEVERITY } from '../conventions.js';
import { generatedHeader, toYaml } from '../internal/yaml.js';
import type { BurnRatePair, ResolvedSlice, WindowProfile } from '../model/spec.js';
import { workbookWindows } from '../model/windows.js';
import { narrowIncreaseExpr, totalIncreaseExpr } from '../prometheus/sli-exprs.js';
import { OPENSLO_API_VERSION } from './schema.js';

/** Annotation keys carrying what OpenSLO has no field for, so an import restores the slice exactly. */
export const OPENSLO_ANNOTATIONS = {
  slice: 'parapet.dev/slice',
  runbookUrl: 'parapet.dev/runbook-url',
  minBadEvents: 'parapet.dev/min-bad-events',
  noDataFor: 'parapet.dev/no-data-for',
  noDataSeverity: 'parapet.dev/no-data-severity',
  alertAnnotations: 'parapet.dev/alert-annotations',
  histogramBuckets: 'parapet.dev/histogram-buckets',
  shortWindow: 'parapet.dev/short-window',
} as const;

/** Default `spec.service` of exported SLOs. */
export const DEFAULT_OPENSLO_SERVICE = 'app';
/** Metric source type of every exported query. */
export const PROMETHEUS_SOURCE = 'Prometheus';

/** An RFC 1123 label from a snake_case name and suffixes; long names keep a stable hash suffix. */
export function openSloName(...parts: string[]): string {
  const name = parts.join('-').replace(/_/g, '-');
  if (name.length <= 63) return name;
  return `${name.slice(0, 54).replace(/-+$/, '')}-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

const query = (expr: string) => ({ metricSource: { type: PROMETHEUS_SOURCE, spec: { query: expr } } });

function policy(slice: ResolvedSlice, severity: string, pair: BurnRatePair) {
  const name = openSloName(slice.name, severity, pair.long, pair.short);
  return {
    kind: 'AlertPolicy',
    metadata: { name, annotations: { [OPENSLO_ANNOTATIONS.shortWindow]: pair.short } },
    spec: {
      description: `${severity === PAGE_SEVERITY ? 'Page' : 'Ticket'} when the ${pair.long} and ${pair.short} burn rates both exceed ${pair.burnRate}x, with at least ${slice.minBadEvents} bad events in ${pair.long}.`,
      alertWhenNoData: true,
      alertWhenResolved: true,
      alertWhenBreaching: true,
      conditions: [{
        kind: 'AlertCondition',
        metadata: { name },
        spec: { severity, condition: { kind: 'burnrate', op: 'gt', threshold: pair.burnRate, lookbackWindow: pair.long, alertAfter: '0m' } },
      }],
    },
  };
}

/**
 * One OpenSLO v1 `SLO` document for a slice: an inline ratio SLI whose Prometheus queries are the
 * generated SLI expressions (the 5m reads of sli-exprs.ts), a rolling window of the slice's
 * period, Occurrences budgeting, and one AlertPolicy with one burn-rate AlertCondition per window
 * pair. A latency slice is the ratio of its threshold bucket to its count.
 */
export function openSloDocument(slice: ResolvedSlice, options: { windows?: WindowProfile; service?: string } = {}) {
  const profile = options.windows ?? workbookWindows;
  const narrow = narrowIncreaseExpr(slice);
  const annotations: Record<string, string> = {
    [OPENSLO_ANNOTATIONS.slice]: slice.name,
    [OPENSLO_ANNOTATIONS.runbookUrl]: slice.runbookUrl,
    [OPENSLO_ANNOTATIONS.minBadEvents]: String(slice.minBadEvents),
    [OPENSLO_ANNOTATIONS.noDataFor]: slice.noDataFor,
    [OPENSLO_ANNOTATIONS.noDataSeverity]: slice.noDataSeverity,
  };
  if (Object.keys(slice.annotations).length > 0) annotations[OPENSLO_ANNOTATIONS.alertAnnotations] = JSON.stringify(slice.annotations);
  if (slice.sli.kind === 'latency' && slice.sli.buckets) annotations[OPENSLO_ANNOTATIONS.histogramBuckets] = JSON.stringify(slice.sli.buckets);
  const policies = [
    ...(slice.alert === 'page' ? profile.page.map((p) => policy(slice, PAGE_SEVERITY, p)) : []),
    ...(slice.alert !== 'none' ? profile.ticket.map((p) => policy(slice, TICKET_SEVERITY, p)) : []),
  ];
  return {
    apiVersion: OPENSLO_API_VERSION,
    kind: 'SLO',
    metadata: {
      name: openSloName(slice.name),
      displayName: slice.description,
      ...(Object.keys(slice.labels).length > 0 ? { labels: Object.fromEntries(Object.keys(slice.labels).sort().map((k) => [k, slice.labels[k]!])) } : {}),
      annotations,
    },
    spec: {
      description: slice.description,
      service: options.service ?? DEFAULT_OPENSLO_SERVICE,
      indicator: {
        metadata: { name: openSloName(slice.name, 'sli') },
        spec: {
          ratioMetric: {
            counter: slice.sli.kind !== 'freshness',
            [narrow.kind]: query(narrow.expr),
            total: query(totalIncreaseExpr(slice)),
          },
        },
      },
      timeWindow: [{ duration: slice.period, isRolling: true }],
      budgetingMethod: 'Occurrences',
      objectives: [{ displayName: `${slice.objective}% good`, targetPercent: slice.objective }],
      alertPolicies: policies,
    },
  };
}

/** `parapet gen openslo`: every slice as an OpenSLO v1 SLO, one YAML document each. */
export function generateOpenSlo(slices: readonly ResolvedSlice[], options: { windows?: WindowProfile; service?: string } = {}): string {
  return generatedHeader('parapet gen openslo') + slices.map((s) => `---\n${toYaml(openSloDocument(s, options))}`).join('');
}
