import type { ResolvedSlice } from './validate.js';

/** Names of the series and alerts the generator writes. Public API: dashboards and runbooks use them. */
export const SERIES = {
  totalIncrease: (w: string) => `parapet_slo:total:increase${w}`,
  badIncrease: (w: string) => `parapet_slo:bad:increase${w}`,
  errorRatio: (w: string) => `parapet_slo:error_ratio:${w}`,
  burnRate: (w: string) => `parapet_slo:burn_rate:${w}`,
  budgetRemaining: 'parapet_slo:error_budget_remaining:ratio',
  objective: 'parapet_slo:objective:ratio',
  errorBudget: 'parapet_slo:error_budget:ratio',
  periodSeconds: 'parapet_slo:period:seconds',
} as const;

export function camelCase(name: string): string {
  return name.split('_').filter(Boolean).map((p) => p[0]!.toUpperCase() + p.slice(1)).join('');
}

export function alertName(slice: Pick<ResolvedSlice, 'name'>, kind: 'page' | 'ticket' | 'nodata'): string {
  const base = camelCase(slice.name);
  return kind === 'nodata' ? `${base}NoData` : `${base}BudgetBurn${kind === 'page' ? 'Page' : 'Ticket'}`;
}

export function recordingGroupName(slice: Pick<ResolvedSlice, 'name'>): string {
  return `parapet_slo_${slice.name}_recordings`;
}

export function alertGroupName(slice: Pick<ResolvedSlice, 'name'>): string {
  return `parapet_slo_${slice.name}_alerts`;
}
