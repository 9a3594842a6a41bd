import { BASE_WINDOW, DASHBOARD_TAGS, DATASOURCE_NAME, DEFAULT_DATASOURCE_UID, OVERVIEW_DASHBOARD_UID, SLO_LABEL, SLO_SERIES, sliceDashboardUid } from '../conventions.js';
import { dashboard, datasource, panel } from './panels.js';
import type { GrafanaOptions, WindowProfile } from '../model/spec.js';
import type { ResolvedSlice } from '../model/spec.js';
import { recordedWindows, workbookWindows } from '../model/windows.js';
import { generatedHeader, toYaml } from '../internal/yaml.js';

const percent = { unit: 'percentunit', decimals: 2 };

function sliceDashboard(slice: ResolvedSlice, profile: WindowProfile, datasourceUid: string) {
  const ds = datasourceUid;
  const sel = `{${[`${SLO_LABEL}="${slice.name}"`, ...slice.groupBy.map((l) => `${l}=~"$${l}"`)].join(', ')}}`;
  const legend = slice.groupBy.map((l) => `{{${l}}}`).join(' ');
  const withLegend = (prefix: string) => (legend ? `${prefix} ${legend}` : prefix);
  const windows = recordedWindows(profile, slice.period);
  const thresholds = [...(slice.alert === 'page' ? profile.page : []), ...(slice.alert === 'none' ? [] : profile.ticket)].map((p) => p.burnRate);
  const templating = slice.groupBy.map((label) => ({
    name: label,
    label,
    type: 'query',
    datasource: datasource(ds),
    query: { query: `label_values(${SLO_SERIES.totalIncrease(BASE_WINDOW)}{${SLO_LABEL}="${slice.name}"}, ${label})`, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    definition: `label_values(${SLO_SERIES.totalIncrease(BASE_WINDOW)}{${SLO_LABEL}="${slice.name}"}, ${label})`,
    refresh: 2,
    multi: true,
    includeAll: true,
    current: { selected: true, text: ['All'], value: ['$__all'] },
    sort: 1,
  }));
  const budgetSteps = { mode: 'absolute', steps: [{ color: 'red', value: null }, { color: 'orange', value: 0 }, { color: 'green', value: 0.25 }] };
  const burnSteps = [...new Set(thresholds)].sort((x, y) => x - y).map((v, i, all) => ({ color: i === all.length - 1 ? 'red' : 'orange', value: v }));
  const common = { datasourceUid: ds } as const;
  const panels = [
    panel({
      ...common, id: 1, type: 'stat', title: `Error budget remaining (${slice.period})`, gridPos: { x: 0, y: 0, w: 6, h: 6 },
      targets: [{ expr: `${SLO_SERIES.budgetRemaining}${sel}`, legendFormat: withLegend('remaining') }],
      fieldConfig: { ...percent, thresholds: budgetSteps },
      description: 'Share of the error budget left over the rolling SLO period. Below 0 the objective is missed.',
    }),
    panel({
      ...common, id: 2, type: 'stat', title: `SLI over ${slice.period} (objective ${slice.objective}%)`, gridPos: { x: 6, y: 0, w: 6, h: 6 },
      targets: [{ expr: `1 - ${SLO_SERIES.errorRatio(slice.period)}${sel}`, legendFormat: withLegend('SLI') }],
      fieldConfig: { unit: 'percentunit', decimals: 3 },
    }),
    panel({
      ...common, id: 3, type: 'timeseries', title: 'Burn rate by window', gridPos: { x: 12, y: 0, w: 12, h: 12 },
      targets: windows.map((w) => ({ expr: `${SLO_SERIES.burnRate(w)}${sel}`, legendFormat: withLegend(w) })),
      fieldConfig: { unit: 'x', custom: { thresholdsStyle: { mode: 'line' } }, thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, ...burnSteps] } },
      description: 'Burn rate 1 spends exactly the budget over the period. Lines mark the alert thresholds.',
    }),
    panel({
      ...common, id: 4, type: 'timeseries', title: `SLI over the rolling ${slice.period}`, gridPos: { x: 0, y: 6, w: 12, h: 6 },
      targets: [
        { expr: `1 - ${SLO_SERIES.errorRatio(slice.period)}${sel}`, legendFormat: withLegend('SLI') },
        { expr: `${SLO_SERIES.objective}{${SLO_LABEL}="${slice.name}"}`, legendFormat: 'objective' },
      ],
      fieldConfig: { unit: 'percentunit', decimals: 3 },
    }),
    panel({
      ...common, id: 5, type: 'timeseries', title: 'Error budget remaining over time', gridPos: { x: 0, y: 12, w: 12, h: 8 },
      targets: [{ expr: `${SLO_SERIES.budgetRemaining}${sel}`, legendFormat: withLegend('remaining') }],
      fieldConfig: percent,
    }),
    panel({
      ...common, id: 6, type: 'timeseries', title: `Events per ${BASE_WINDOW}`, gridPos: { x: 12, y: 12, w: 12, h: 8 },
      targets: [
        { expr: `${SLO_SERIES.totalIncrease(BASE_WINDOW)}${sel}`, legendFormat: withLegend('total') },
        { expr: `${SLO_SERIES.badIncrease(BASE_WINDOW)}${sel}`, legendFormat: withLegend('bad') },
      ],
      fieldConfig: { unit: 'short' },
    }),
  ];
  return dashboard({ uid: sliceDashboardUid(slice), title: `SLO: ${slice.description} (${slice.name})`, tags: DASHBOARD_TAGS, panels, datasourceUid: ds, templating, links: [
    { title: 'SLO overview', type: 'link', url: `/d/${OVERVIEW_DASHBOARD_UID}`, icon: 'dashboard' },
    { title: 'Runbook', type: 'link', url: slice.runbookUrl, targetBlank: true, icon: 'doc' },
  ] });
}

function overviewDashboard(slices: readonly ResolvedSlice[], datasourceUid: string, profile: WindowProfile) {
  const ds = datasourceUid;
  const fast = profile.page[0] ?? profile.ticket[0]!;
  const slow = profile.ticket[profile.ticket.length - 1] ?? fast;
  const names = slices.map((s) => s.name).join('|');
  const all = `{${SLO_LABEL}=~"${names}"}`;
  const common = { datasourceUid: ds } as const;
  const panels = [
    panel({
      ...common, id: 1, type: 'bargauge', title: 'Error budget remaining', gridPos: { x: 0, y: 0, w: 12, h: 10 },
      targets: [{ expr: `min by (${SLO_LABEL}) (${SLO_SERIES.budgetRemaining}${all})`, legendFormat: `{{${SLO_LABEL}}}` }],
      fieldConfig: { ...percent, min: 0, max: 1, thresholds: { mode: 'absolute', steps: [{ color: 'red', value: null }, { color: 'orange', value: 0 }, { color: 'green', value: 0.25 }] } },
      description: 'Worst group of each slice.',
    }),
    panel({
      ...common, id: 2, type: 'timeseries', title: `Burn rate, ${fast.long} (alerts above ${fast.burnRate}x)`, gridPos: { x: 12, y: 0, w: 12, h: 10 },
      targets: [{ expr: `max by (${SLO_LABEL}) (${SLO_SERIES.burnRate(fast.long)}${all})`, legendFormat: `{{${SLO_LABEL}}}` }],
      fieldConfig: { unit: 'x' },
    }),
    panel({
      ...common, id: 3, type: 'timeseries', title: `Burn rate, ${slow.long} (alerts above ${slow.burnRate}x)`, gridPos: { x: 0, y: 10, w: 12, h: 8 },
      targets: [{ expr: `max by (${SLO_LABEL}) (${SLO_SERIES.burnRate(slow.long)}${all})`, legendFormat: `{{${SLO_LABEL}}}` }],
      fieldConfig: { unit: 'x' },
    }),
    panel({
      ...common, id: 4, type: 'timeseries', title: `Events per ${BASE_WINDOW}`, gridPos: { x: 12, y: 10, w: 12, h: 8 },
      targets: [{ expr: `sum by (${SLO_LABEL}) (${SLO_SERIES.totalIncrease(BASE_WINDOW)}${all})`, legendFormat: `{{${SLO_LABEL}}}` }],
      fieldConfig: { unit: 'short' },
    }),
  ];
  return dashboard({ uid: OVERVIEW_DASHBOARD_UID, title: 'SLO overview', tags: DASHBOARD_TAGS, panels, datasourceUid: ds, links: [
    { title: 'Slices', type: 'dashboards', tags: DASHBOARD_TAGS, asDropdown: true, includeVars: false, keepTime: true },
  ] });
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Dashboards (overview + one per slice) and Grafana provisioning for them and for the
 * Prometheus datasource. Keys are paths relative to the output folder.
 */
export function generateGrafanaFiles(slices: readonly ResolvedSlice[], options: GrafanaOptions = {}, profile: WindowProfile = workbookWindows): Record<string, string> {
  const ds = options.datasourceUid ?? DEFAULT_DATASOURCE_UID;
  const files: Record<string, string> = { [`dashboards/${OVERVIEW_DASHBOARD_UID}.json`]: json(overviewDashboard(slices, ds, profile)) };
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
    datasources: [{ name: DATASOURCE_NAME, uid: ds, type: 'prometheus', access: 'proxy', url: options.prometheusUrl ?? 'http://prometheus:9090', isDefault: false, editable: false, jsonData: { timeInterval: '1m' } }],
  });
  return files;
}
