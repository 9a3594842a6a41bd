import { createHash } from 'node:crypto';
import { SERIES } from './names.js';
import { dashboard, datasource, panel } from './grafana-panels.js';
import type { GrafanaOptions, WindowProfile } from './spec.js';
import type { ResolvedSlice } from './validate.js';
import { recordedWindows, workbookWindows } from './windows.js';
import { generatedHeader, toYaml } from './yaml.js';

export const DEFAULT_DATASOURCE_UID = 'parapet-prometheus';

/** Grafana uids are at most 40 characters; long slice names get a stable hash suffix. */
export function sliceDashboardUid(slice: Pick<ResolvedSlice, 'name'>): string {
  const uid = `parapet-${slice.name.replace(/_/g, '-')}`;
  if (uid.length <= 40) return uid;
  return `${uid.slice(0, 31).replace(/-+$/, '')}-${createHash('sha256').update(slice.name).digest('hex').slice(0, 8)}`;
}

const percent = { unit: 'percentunit', decimals: 2 };

function sliceDashboard(slice: ResolvedSlice, profile: WindowProfile, ds: string) {
  const sel = `{${[`slo="${slice.name}"`, ...slice.groupBy.map((l) => `${l}=~"$${l}"`)].join(', ')}}`;
  const legend = slice.groupBy.map((l) => `{{${l}}}`).join(' ');
  const withLegend = (prefix: string) => (legend ? `${prefix} ${legend}` : prefix);
  const windows = recordedWindows(profile, slice.period);
  const thresholds = [...(slice.alert === 'page' ? profile.page : []), ...(slice.alert === 'none' ? [] : profile.ticket)].map((p) => p.burnRate);
  const templating = slice.groupBy.map((label) => ({
    name: label,
    label,
    type: 'query',
    datasource: datasource(ds),
    query: { query: `label_values(${SERIES.totalIncrease('5m')}{slo="${slice.name}"}, ${label})`, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    definition: `label_values(${SERIES.totalIncrease('5m')}{slo="${slice.name}"}, ${label})`,
    refresh: 2,
    multi: true,
    includeAll: true,
    current: { selected: true, text: ['All'], value: ['$__all'] },
    sort: 1,
  }));
  const panels = [
    panel(1, 'stat', `Error budget remaining (${slice.period})`, { x: 0, y: 0, w: 6, h: 6 }, ds, [{ expr: `${SERIES.budgetRemaining}${sel}`, legendFormat: withLegend('remaining') }], {
      ...percent,
      thresholds: { mode: 'absolute', steps: [{ color: 'red', value: null }, { color: 'orange', value: 0 }, { color: 'green', value: 0.25 }] },
    }, 'Share of the error budget left over the rolling SLO period. Below 0 the objective is missed.'),
    panel(2, 'stat', `SLI over ${slice.period} (objective ${slice.objective}%)`, { x: 6, y: 0, w: 6, h: 6 }, ds, [{ expr: `1 - ${SERIES.errorRatio(slice.period)}${sel}`, legendFormat: withLegend('SLI') }], { unit: 'percentunit', decimals: 3 }),
    panel(3, 'timeseries', 'Burn rate by window', { x: 12, y: 0, w: 12, h: 12 }, ds, windows.map((w) => ({ expr: `${SERIES.burnRate(w)}${sel}`, legendFormat: withLegend(w) })), {
      unit: 'x',
      custom: { thresholdsStyle: { mode: 'line' } },
      thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, ...[...new Set(thresholds)].sort((a, b) => a - b).map((v, i, all) => ({ color: i === all.length - 1 ? 'red' : 'orange', value: v }))] },
    }, 'Burn rate 1 spends exactly the budget over the period. Lines mark the alert thresholds.'),
    panel(4, 'timeseries', `SLI over the rolling ${slice.period}`, { x: 0, y: 6, w: 12, h: 6 }, ds, [
      { expr: `1 - ${SERIES.errorRatio(slice.period)}${sel}`, legendFormat: withLegend('SLI') },
      { expr: `${SERIES.objective}{slo="${slice.name}"}`, legendFormat: 'objective' },
    ], { unit: 'percentunit', decimals: 3 }),
    panel(5, 'timeseries', 'Error budget remaining over time', { x: 0, y: 12, w: 12, h: 8 }, ds, [{ expr: `${SERIES.budgetRemaining}${sel}`, legendFormat: withLegend('remaining') }], percent),
    panel(6, 'timeseries', 'Events per 5m', { x: 12, y: 12, w: 12, h: 8 }, ds, [
      { expr: `${SERIES.totalIncrease('5m')}${sel}`, legendFormat: withLegend('total') },
      { expr: `${SERIES.badIncrease('5m')}${sel}`, legendFormat: withLegend('bad') },
    ], { unit: 'short' }),
  ];
  return dashboard(sliceDashboardUid(slice), `SLO: ${slice.description} (${slice.name})`, ['parapet', 'slo'], panels, ds, templating, [
    { title: 'SLO overview', type: 'link', url: '/d/parapet-overview', icon: 'dashboard' },
    { title: 'Runbook', type: 'link', url: slice.runbookUrl, targetBlank: true, icon: 'doc' },
  ]);
}

function overviewDashboard(slices: readonly ResolvedSlice[], ds: string, profile: WindowProfile) {
  const fast = profile.page[0] ?? profile.ticket[0]!;
  const slow = profile.ticket[profile.ticket.length - 1] ?? fast;
  const names = slices.map((s) => s.name).join('|');
  const all = `{slo=~"${names}"}`;
  const panels = [
    panel(1, 'bargauge', 'Error budget remaining', { x: 0, y: 0, w: 12, h: 10 }, ds, [{ expr: `min by (slo) (${SERIES.budgetRemaining}${all})`, legendFormat: '{{slo}}' }], {
      ...percent, min: 0, max: 1,
      thresholds: { mode: 'absolute', steps: [{ color: 'red', value: null }, { color: 'orange', value: 0 }, { color: 'green', value: 0.25 }] },
    }, 'Worst group of each slice.'),
    panel(2, 'timeseries', `Burn rate, ${fast.long} (alerts above ${fast.burnRate}x)`, { x: 12, y: 0, w: 12, h: 10 }, ds, [{ expr: `max by (slo) (${SERIES.burnRate(fast.long)}${all})`, legendFormat: '{{slo}}' }], { unit: 'x' }),
    panel(3, 'timeseries', `Burn rate, ${slow.long} (alerts above ${slow.burnRate}x)`, { x: 0, y: 10, w: 12, h: 8 }, ds, [{ expr: `max by (slo) (${SERIES.burnRate(slow.long)}${all})`, legendFormat: '{{slo}}' }], { unit: 'x' }),
    panel(4, 'timeseries', 'Events per 5m', { x: 12, y: 10, w: 12, h: 8 }, ds, [{ expr: `sum by (slo) (${SERIES.totalIncrease('5m')}${all})`, legendFormat: '{{slo}}' }], { unit: 'short' }),
  ];
  return dashboard('parapet-overview', 'SLO overview', ['parapet', 'slo'], panels, ds, [], [
    { title: 'Slices', type: 'dashboards', tags: ['parapet', 'slo'], asDropdown: true, includeVars: false, keepTime: true },
  ]);
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Dashboards (overview + one per slice) and Grafana provisioning for them and for the
 * Prometheus datasource. Keys are paths relative to the output folder.
 */
export function generateGrafanaFiles(slices: readonly ResolvedSlice[], options: GrafanaOptions = {}, profile: WindowProfile = workbookWindows): Record<string, string> {
  const ds = options.datasourceUid ?? DEFAULT_DATASOURCE_UID;
  const files: Record<string, string> = { 'dashboards/parapet-overview.json': json(overviewDashboard(slices, ds, profile)) };
  for (const slice of slices) files[`dashboards/${sliceDashboardUid(slice)}.json`] = json(sliceDashboard(slice, profile, ds));
  files['provisioning/dashboards/parapet.yml'] = generatedHeader('parapet gen grafana') + toYaml({
    apiVersion: 1,
    providers: [{
      name: 'parapet', orgId: 1, folder: options.folder ?? 'Parapet', type: 'file', disableDeletion: true, allowUiUpdates: false, updateIntervalSeconds: 60,
      options: { path: options.dashboardsPath ?? '/var/lib/grafana/dashboards/parapet', foldersFromFilesStructure: false },
    }],
  });
  files['provisioning/datasources/parapet.yml'] = generatedHeader('parapet gen grafana') + toYaml({
    apiVersion: 1,
    datasources: [{ name: 'Parapet Prometheus', uid: ds, type: 'prometheus', access: 'proxy', url: options.prometheusUrl ?? 'http://prometheus:9090', isDefault: false, editable: false, jsonData: { timeInterval: '1m' } }],
  });
  return files;
}
