/** Small builders for Grafana dashboard JSON (schemaVersion 39). */
export interface Target { readonly expr: string; readonly legendFormat?: string }
export interface GridPos { readonly x: number; readonly y: number; readonly w: number; readonly h: number }

export function datasource(uid: string) {
  return { type: 'prometheus', uid };
}

export function panel(
  id: number,
  type: 'stat' | 'timeseries' | 'bargauge' | 'text',
  title: string,
  gridPos: GridPos,
  ds: string,
  targets: readonly Target[],
  fieldConfig: Record<string, unknown> = {},
  description?: string,
) {
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

export function dashboard(uid: string, title: string, tags: readonly string[], panels: readonly unknown[], ds: string, templating: readonly unknown[] = [], links: readonly unknown[] = []) {
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
