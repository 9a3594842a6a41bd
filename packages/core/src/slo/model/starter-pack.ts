import * as z from 'zod';
import { parseOptions } from '../../internal/options.js';
import type { Provider, SliceSpec } from './spec.js';

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

/** What `defineStarterPack` takes. */
export interface StarterPackDefinition<Name extends string> {
  /** The provider name (the pack's npm name), shown in errors next to each slice. */
  readonly provider: string;
  /** Every slice name the pack can produce; options may name only these. */
  readonly sliceNames: readonly Name[];
  /** The pack's default slices for a runbook base URL. */
  readonly slices: (runbookBaseUrl: string) => readonly SliceSpec[];
}

/**
 * Defines a starter pack: a function from `StarterPackOptions` to a slice provider. The options
 * are validated strictly when the pack is called (an unknown option or slice name is a
 * `ParapetError('INVALID_OPTIONS')` naming the accepted ones), then applied with `applyPackOptions`.
 */
export function defineStarterPack<Name extends string>(definition: StarterPackDefinition<Name>): (options?: StarterPackOptions<Name>) => Provider {
  const where = `${definition.provider}()`;
  const name = z.enum(definition.sliceNames as unknown as [Name, ...Name[]]);
  const schema = z.strictObject({
    runbookBaseUrl: z.string().url().optional(),
    overrides: z.partialRecord(name, z.record(z.string(), z.unknown())).optional(),
    exclude: z.array(name).optional(),
    labels: z.record(z.string(), z.string()).optional(),
  });
  return (options = {}) => {
    parseOptions(schema, options, where);
    return {
      name: definition.provider,
      slices: () => applyPackOptions(definition.slices(options.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL), options),
    };
  };
}
