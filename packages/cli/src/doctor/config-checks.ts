/**
 * Config checks: the config loads, every slice validates, every slice has a runbook of yours,
 * and the Prometheus rules on disk are what `parapet gen prometheus` would write now.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { isParapetError } from '@parapet/core/integration';
import { DEFAULT_RUNBOOK_BASE_URL, resolveConfig, type ParapetConfig, type ResolvedConfig } from '@parapet/core/slo';
import { filesFor } from '../commands/gen.js';
import { plural } from '../plural.js';
import { error, ok, skip, warn, type Check, type DoctorContext, type Outcome } from './types.js';

/** The config, or the outcome that says why there is none (dependent checks skip on it). */
async function loadedConfig(context: DoctorContext): Promise<{ config: ParapetConfig } | { outcome: Outcome }> {
  try {
    return { config: await context.config() };
  } catch (cause) {
    return { outcome: skip(`${context.options.config} did not load (see config-load).`) };
  }
}

async function resolvedConfig(context: DoctorContext): Promise<{ resolved: ResolvedConfig } | { outcome: Outcome }> {
  const loaded = await loadedConfig(context);
  if ('outcome' in loaded) return loaded;
  try {
    return { resolved: resolveConfig(loaded.config) };
  } catch {
    return { outcome: skip('Some slices do not validate (see slices-valid).') };
  }
}

const configLoad: Check = {
  id: 'config-load',
  title: 'The Parapet config loads',
  group: 'config',
  async run(context) {
    try {
      const config = await context.config();
      return ok(`${context.options.config} loads: ${plural(config.providers.length, 'provider')}.`);
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause);
      // loadConfig's messages already say how to fix (a package to install, a syntax error, ...).
      const [what, ...rest] = message.split('\nHow to fix: ');
      return error(what!.trim(), rest.join(' ').trim() || `Create ${context.options.config} (npx @parapet/cli install writes one) or pass --config <file>.`);
    }
  },
};

const slicesValid: Check = {
  id: 'slices-valid',
  title: 'Every slice validates',
  group: 'config',
  async run(context) {
    const loaded = await loadedConfig(context);
    if ('outcome' in loaded) return loaded.outcome;
    try {
      const { slices } = resolveConfig(loaded.config);
      return ok(`${plural(slices.length, 'slice')} validate: ${slices.map((s) => s.name).join(', ') || '(none)'}.`);
    } catch (cause) {
      if (!(isParapetError(cause) && cause.code === 'SLO_SPEC')) throw cause;
      const problems = (cause as { problems?: readonly string[] }).problems ?? [cause.message];
      return error(`${plural(problems.length, 'problem')} in the SLO specs; parapet gen would refuse to write anything.`, 'Correct each slice named below in your config or provider, then run npx @parapet/cli doctor again.', problems);
    }
  },
};

/** Hosts that are placeholders, never a page an on-call engineer can use. */
const PLACEHOLDER = /^https?:\/\/([^/]*\.)?(example\.(com|org|net)|localhost|127\.0\.0\.1|[^/]*\.invalid|[^/]*\.test)(:\d+)?(\/|$)/i;

const runbookUrls: Check = {
  id: 'runbook-urls',
  title: 'Every slice links a runbook',
  group: 'config',
  async run(context) {
    const loaded = await loadedConfig(context);
    if ('outcome' in loaded) return loaded.outcome;
    // Read the raw specs, not resolved ones: a missing runbook must be named even when other slices are invalid.
    const specs = loaded.config.providers.flatMap((p) => {
      try {
        return typeof p?.slices === 'function' ? p.slices().map((s) => ({ provider: p.name, ...s })) : [];
      } catch {
        return []; // slices-valid reports a provider that throws
      }
    });
    if (specs.length === 0) return skip('The config has no slices.');
    const missing = specs.filter((s) => typeof s?.runbookUrl !== 'string' || !/^https?:\/\/\S+$/.test(s.runbookUrl));
    if (missing.length > 0) {
      return error(
        `${plural(missing.length, 'slice')} without a runbook URL: when ${missing.length === 1 ? 'it alerts' : 'they alert'}, on-call gets no page to open.`,
        'Give each slice `runbookUrl: "https://…"` (or the starter pack\'s `runbookBaseUrl` option) pointing at your own runbook.',
        missing.map((s) => `${s.name ?? '(unnamed)'} (${s.provider}): runbookUrl ${JSON.stringify(s.runbookUrl)}`),
      );
    }
    const placeholders = specs.filter((s) => PLACEHOLDER.test(s.runbookUrl));
    if (placeholders.length > 0) {
      return warn(
        `${plural(placeholders.length, 'slice')} link a placeholder runbook nobody can follow at 3 a.m.`,
        'Point runbookUrl (or the starter pack\'s runbookBaseUrl) at pages you wrote: your wiki, Notion, a docs site.',
        placeholders.map((s) => `${s.name}: ${s.runbookUrl}`),
      );
    }
    const generic = specs.filter((s) => s.runbookUrl.startsWith(DEFAULT_RUNBOOK_BASE_URL));
    return ok(
      generic.length === 0
        ? `${plural(specs.length, 'slice')} link a runbook of yours.`
        : `${plural(specs.length, 'slice')} link a runbook; ${generic.length} use Parapet's generic runbooks (${DEFAULT_RUNBOOK_BASE_URL}) — set runbookBaseUrl to your own when you have them.`,
    );
  },
};

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => statSync(join(dir, name)).isFile()).map((name) => name.split('\\').join('/'));
}

const rulesDrift: Check = {
  id: 'rules-drift',
  title: 'Generated Prometheus rules match the config',
  group: 'config',
  async run(context) {
    const dir = resolve(context.cwd, context.options.rules);
    const shown = relative(context.cwd, dir) || '.';
    if (!existsSync(join(dir, 'rules.yml'))) {
      return skip(`No generated rules at ${shown}/rules.yml (generate them in your deploy pipeline, or pass --rules <dir> where parapet gen prometheus --out wrote them).`);
    }
    const resolved = await resolvedConfig(context);
    if ('outcome' in resolved) return resolved.outcome;
    const config = await context.config();
    const quiet = { ...context.io, stderr: () => {} };
    const expected = filesFor('prometheus', config, quiet);
    const changed: string[] = [];
    for (const [name, text] of Object.entries(expected)) {
      const path = join(dir, name);
      if (!existsSync(path)) changed.push(`${name}: missing`);
      else if (readFileSync(path, 'utf8') !== text) changed.push(`${name}: differs from the config`);
    }
    const stale = filesUnder(dir).filter((name) => name.endsWith('.yml') && !(name in expected));
    for (const name of stale) changed.push(`${name}: no longer generated (a removed or renamed slice)`);
    if (changed.length === 0) return ok(`${shown} matches the config (${plural(Object.keys(expected).length, 'file')}).`);
    return error(
      `The rules in ${shown} are not what the config generates: Prometheus would evaluate stale SLOs and alerts.`,
      `Regenerate them: npx parapet gen prometheus --out ${shown} (delete the folder first to drop stale files), then reload Prometheus.`,
      changed,
    );
  },
};

export const configChecks: readonly Check[] = [configLoad, slicesValid, runbookUrls, rulesDrift];
