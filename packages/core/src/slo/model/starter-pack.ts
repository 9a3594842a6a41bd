import type { SliceSpec } from './spec.js';

/** Default runbook base URL of the starter packs; each slice appends its slug. */
export const DEFAULT_RUNBOOK_BASE_URL = 'https://parapet.dev/runbooks';

/** Options every Parapet starter pack takes. `Name` is the union of the pack's slice names. */
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

/** Applies starter-pack options (exclusions, overrides, shared labels) to a pack's default slices. */
export function applyPackOptions<Name extends string>(slices: readonly SliceSpec[], options: StarterPackOptions<Name>): SliceSpec[] {
  return slices
    .filter((s) => !options.exclude?.includes(s.name as Name))
    .map((s) => {
      const override = options.overrides?.[s.name as Name] ?? {};
      const labels = { ...options.labels, ...s.labels, ...override.labels };
      return { ...s, ...override, name: s.name, ...(Object.keys(labels).length > 0 ? { labels } : {}) };
    });
}
