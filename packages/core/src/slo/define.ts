import type { ParapetConfig, Provider, SliceSpec, WindowProfile } from './spec.js';
import { type ResolvedSlice, SloSpecError, resolveSlice, validateWindows } from './validate.js';
import { workbookWindows } from './windows.js';

/** Identity with types: gives editors completion and checks for a slice literal. */
export function defineSlice(spec: SliceSpec): SliceSpec {
  return spec;
}

/** Builds a provider from a name and its slices (a list, or a function returning one). */
export function defineProvider(name: string, slices: readonly SliceSpec[] | (() => readonly SliceSpec[])): Provider {
  return { name, slices: typeof slices === 'function' ? slices : () => slices };
}

/** Concatenates providers into one, as starter packs do. Names are kept for error messages. */
export function composeProviders(name: string, ...providers: Provider[]): Provider {
  return { name, slices: () => providers.flatMap((p) => p.slices()) };
}

/** The shape of `parapet.config.ts`. Validation of every slice happens in `resolveConfig`. */
export function defineConfig(config: ParapetConfig): ParapetConfig {
  if (!config || !Array.isArray(config.providers)) {
    throw new TypeError('defineConfig({ providers: [...] }): `providers` must be an array of providers, e.g. [webSaas()].');
  }
  return config;
}

export interface ResolvedConfig {
  readonly slices: readonly ResolvedSlice[];
  readonly windows: WindowProfile;
  readonly config: ParapetConfig;
}

/**
 * Validates the whole config: every provider's slices, the window profile, and slice names
 * unique across providers. Throws one SloSpecError that lists every problem.
 */
export function resolveConfig(config: ParapetConfig): ResolvedConfig {
  const windows = config.windows ?? workbookWindows;
  const problems = validateWindows(windows);
  const slices: ResolvedSlice[] = [];
  const owner = new Map<string, string>();
  config.providers.forEach((provider, index) => {
    const providerName = typeof provider?.name === 'string' && provider.name !== '' ? provider.name : `providers[${index}]`;
    if (typeof provider?.slices !== 'function') {
      problems.push(`${providerName}: is not a provider; a provider is { name, slices(): SliceSpec[] }.`);
      return;
    }
    let specs: readonly SliceSpec[];
    try {
      specs = provider.slices();
    } catch (error) {
      problems.push(`${providerName}: slices() threw: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    for (const spec of specs) {
      const first = owner.get(spec?.name);
      if (first !== undefined) {
        problems.push(`slice "${spec.name}" is defined twice: by ${first} and by ${providerName}. Slice names must be unique; remove one provider or rename the slice.`);
        continue;
      }
      if (typeof spec?.name === 'string') owner.set(spec.name, providerName);
      try {
        slices.push(resolveSlice(spec, providerName, windows, { minBadEvents: config.minBadEvents }));
      } catch (error) {
        if (error instanceof SloSpecError) problems.push(...error.problems);
        else throw error;
      }
    }
  });
  if (problems.length > 0) throw new SloSpecError(problems);
  return { slices, windows, config };
}

/** Validates a list of providers with the default windows and returns their slices. */
export function resolveSlices(providers: readonly Provider[], options: Omit<ParapetConfig, 'providers'> = {}): readonly ResolvedSlice[] {
  return resolveConfig({ ...options, providers }).slices;
}
