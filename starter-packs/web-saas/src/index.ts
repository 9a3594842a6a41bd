import type { Provider, SliceSpec } from '@parapet/core';
import { DEFAULT_RUNBOOK_BASE_URL, webSaasSlices } from './slices.js';

export { DEFAULT_RUNBOOK_BASE_URL, webSaasSlices } from './slices.js';

export const WEB_SAAS_PROVIDER = '@parapet/starter-pack-web-saas';
export type WebSaasSliceName = 'web_saas_http_availability' | 'web_saas_http_latency' | 'web_saas_login_journey' | 'web_saas_job_success';

/** Options shared by Parapet starter packs. */
export interface StarterPackOptions<Name extends string> {
  /** Base URL of your runbooks; each slice appends its slug. Default `https://parapet.dev/runbooks`. */
  readonly runbookBaseUrl?: string;
  /** Per-slice changes (objective, alert class, groupBy, labels, sli, ...). The name cannot change. */
  readonly overrides?: Partial<Record<Name, Partial<Omit<SliceSpec, 'name'>>>>;
  /** Slices to leave out, e.g. the login journey before a login integration emits it. */
  readonly exclude?: readonly Name[];
  /** Labels added to every slice (team, tier, ...). */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Applies starter-pack options to default slices. */
export function applyPackOptions<Name extends string>(slices: readonly SliceSpec[], options: StarterPackOptions<Name>): SliceSpec[] {
  return slices
    .filter((s) => !options.exclude?.includes(s.name as Name))
    .map((s) => {
      const override = options.overrides?.[s.name as Name] ?? {};
      const labels = { ...options.labels, ...s.labels, ...override.labels };
      return { ...s, ...override, name: s.name, ...(Object.keys(labels).length > 0 ? { labels } : {}) };
    });
}

/** Web SaaS starter pack: HTTP availability and latency, login journey, background job success. */
export function webSaas(options: StarterPackOptions<WebSaasSliceName> = {}): Provider {
  return {
    name: WEB_SAAS_PROVIDER,
    slices: () => applyPackOptions(webSaasSlices(options.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL), options),
  };
}
