/** Small builders for Grafana dashboard JSON (schemaVersion 39). */
export interface Target { readonly expr: string; readonly legendFormat?: string }
export interface GridPos { readonly x: number; readonly y: number; readonly w: number; readonly h: number }

export function datasource(uid: string) {
  return { type: 'prometheus', uid };
}

export interface PanelArgs {
  readonly id: number;
  readonly type: 'stat' | 'timeseries' | 'bargauge' | 'text';
  readonly title: string;
  readonly gridPos: GridPos;
  /** Datasource uid. */
  readonly datasourceUid: string;
  readonly targets: readonly Target[];
  readonly fieldConfig?: Record<string, unknown>;
  readonly description?: string;
}

export function panel({ id, type, title, gridPos, datasourceUid: ds, targets, fieldConfig = {}, description }: PanelArgs) {
  return {
    id,
    type,
    title,
    ...(description ? { description } : {}),
    gridPos,
    datasource: datasource(ds),
    targets: targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), datasource: datasource(ds), expr: t.expr, legendFormat: t.legendFormat ?? '__auto', range: true })),
    fieldConfig: { defaults: fieldConfig, overrides: [] },
    options: {},
  };
}

export function deployAnnotation(ds: string) {
  return {
    name: 'Deploys',
    datasource: datasource(ds),
    enable: true,
    iconColor: 'blue',
    // parapet_deploy_last_timestamp_seconds changes once per deploy marker.
    expr: 'changes(parapet_deploy_last_timestamp_seconds[2m]) > 0',
    step: '1m',
    titleFormat: 'Deploy',
    textFormat: '{{service}} {{environment}}',
    useValueForTime: false,
  };
}

export interface DashboardArgs {
  readonly uid: string;
  readonly title: string;
  readonly tags: readonly string[];
  readonly panels: readonly unknown[];
  /** Datasource uid, for the deploy annotation. */
  readonly datasourceUid: string;
  readonly templating?: readonly unknown[];
  readonly links?: readonly unknown[];
}

export function dashboard({ uid, title, tags, panels, datasourceUid: ds, templating = [], links = [] }: DashboardArgs) {
  return {
    uid,
    title,
    tags,
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    editable: false,
    refresh: '1m',
    time: { from: 'now-7d', to: 'now' },
    annotations: { list: [deployAnnotation(ds)] },
    templating: { list: templating },
    links,
    panels,
  };
}
