import * as z from 'zod';
import { ParapetError } from '../../errors/parapet-error.js';
import { parseOptions } from '../../internal/options.js';
import { CONFIG_VERSION, CONFIG_VERSIONS } from '../conventions.js';
import { generatedNames } from './generated-names.js';
import { SloSpecError } from './spec-error.js';
import type { ParapetConfig, Provider, ResolvedSlice, SliceSpec, WindowProfile } from './spec.js';
import { describeType, resolveSlice, validateWindows } from './validate.js';
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

/**
 * The shape of `parapet.config.ts`, checked key by key (unknown keys and wrong types are errors
 * naming the option). Slices, windows and options' values are checked by `resolveConfig`.
 */
const configSchema = z.strictObject({
  version: z.string().optional(),
  providers: z.array(z.any()),
  windows: z.strictObject({ page: z.array(z.any()), ticket: z.array(z.any()) }).optional(),
  minBadEvents: z.number().optional(),
  alertmanager: z.strictObject({
    webhookUrl: z.string(),
    bearerTokenFile: z.union([z.string(), z.literal(false)]).optional(),
    pageReceiver: z.record(z.string(), z.unknown()).optional(),
    ticketReceiver: z.record(z.string(), z.unknown()).optional(),
  }).optional(),
  grafana: z.strictObject({
    datasourceUid: z.string().optional(),
    prometheusUrl: z.string().optional(),
    folder: z.string().optional(),
    dashboardsPath: z.string().optional(),
  }).optional(),
});

function versionProblem(version: unknown): string | undefined {
  if (version === undefined || (CONFIG_VERSIONS as readonly unknown[]).includes(version)) return undefined;
  return `version: ${describeType(version)} is not a config version this Parapet understands; use "${CONFIG_VERSION}" (or leave it out). A newer version needs a newer @parapet/core.`;
}

/** The shape of `parapet.config.ts`. Validation of every slice happens in `resolveConfig`. */
export function defineConfig(config: ParapetConfig): ParapetConfig {
  parseOptions(configSchema, config, 'defineConfig()');
  const problem = versionProblem(config.version);
  if (problem) throw new SloSpecError([problem]);
  return config;
}

export interface ResolvedConfig {
  /** The config version in effect (`parapet/v1` when the config leaves it out). */
  readonly version: string;
  readonly slices: readonly ResolvedSlice[];
  readonly windows: WindowProfile;
  readonly config: ParapetConfig;
}

/**
 * Validates the whole config: its shape and version, every provider's slices, the window
 * profile, slice names unique across providers, and every generated name (alert, rule group,
 * dashboard uid, test file) unique across slices. Throws one SloSpecError that lists every problem.
 */
export function resolveConfig(config: ParapetConfig): ResolvedConfig {
  const problems: string[] = [];
  try {
    parseOptions(configSchema, config, 'config');
  } catch (error) {
    if (!(error instanceof ParapetError)) throw error;
    problems.push(error.message);
    // Without a providers array nothing below can run.
    if (!config || !Array.isArray(config.providers)) throw new SloSpecError(problems);
  }
  const version = versionProblem(config.version);
  if (version) problems.push(version);
  const windows = config.windows ?? workbookWindows;
  problems.push(...validateWindows(windows));
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
    if (!Array.isArray(specs)) {
      problems.push(`${providerName}: slices() must return an array of slices, got ${describeType(specs)}.`);
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
        slices.push(resolveSlice({ spec, provider: providerName, windows, minBadEvents: config.minBadEvents }));
      } catch (error) {
        if (error instanceof SloSpecError) problems.push(...error.problems);
        else throw error;
      }
    }
  });
  problems.push(...nameCollisions(slices));
  if (problems.length > 0) throw new SloSpecError(problems);
  return { version: config.version ?? CONFIG_VERSION, slices, windows, config };
}

/** Two slices whose generated names coincide (`api_v2` and `api__v2` both alert as `ApiV2...`). */
function nameCollisions(slices: readonly ResolvedSlice[]): string[] {
  const seen = new Map<string, ResolvedSlice>();
  const problems: string[] = [];
  const reported = new Set<string>();
  for (const slice of slices) {
    for (const { kind, name } of generatedNames(slice)) {
      const key = `${kind}\u0000${name}`;
      const other = seen.get(key);
      if (!other) {
        seen.set(key, slice);
        continue;
      }
      const pair = `${other.name}\u0000${slice.name}`;
      if (reported.has(pair)) continue;
      reported.add(pair);
      problems.push(
        `slices "${other.name}" (from ${other.provider}) and "${slice.name}" (from ${slice.provider}) both generate the ${kind} "${name}"; ` +
          'Prometheus, Alertmanager and Grafana would mix them up. Rename one slice (names differing only in underscores or digits after "_" collide).',
      );
    }
  }
  return problems;
}

/** Validates a list of providers with the default windows and returns their slices. */
export function resolveSlices(providers: readonly Provider[], options: Omit<ParapetConfig, 'providers'> = {}): readonly ResolvedSlice[] {
  return resolveConfig({ ...options, providers }).slices;
}
