import { createHash } from 'node:crypto';
import { publishFlagChange } from '@parapet/core';
import { parseOptions, type Integration } from '@parapet/core/integration';
import * as z from 'zod';
import { flagLabel } from './normalize.js';

/** The part of an Unleash client (`initialize()` / `startUnleash()`) used here. */
export interface UnleashClientLike {
  on(event: 'changed', listener: (features: unknown) => void): unknown;
  off(event: 'changed', listener: (features: unknown) => void): unknown;
  getFeatureToggleDefinitions?(): unknown;
}

export interface ParapetUnleashOptions {
  client: UnleashClientLike;
  /** `source` label of flag changes. Default `unleash`. */
  source?: string;
}

const schema = z.strictObject({
  client: z.custom<UnleashClientLike>((c) => typeof (c as UnleashClientLike)?.on === 'function' && typeof (c as UnleashClientLike)?.off === 'function', {
    message: 'an Unleash client (initialize() or startUnleash())',
  }),
  source: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/).optional(),
});

/** name → hash of the toggle's definition. */
function snapshot(features: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!Array.isArray(features)) return out;
  for (const f of features) {
    const name = (f as { name?: unknown })?.name;
    if (typeof name === 'string') out.set(name, createHash('sha1').update(JSON.stringify(f)).digest('base64'));
  }
  return out;
}

/**
 * Unleash without OpenFeature. Unleash emits `'changed'` with the whole toggle list on every
 * successful fetch, so Parapet diffs it against the previous list (by name and a hash of the
 * definition) and publishes one `flag.change` per added, changed or removed toggle. The first
 * list (the initial load) is the baseline, not a change.
 */
export function parapetUnleash(options: ParapetUnleashOptions): Integration {
  const opts = parseOptions(schema, options, 'parapetUnleash()');
  const source = opts.source ?? 'unleash';
  return {
    name: 'unleash',
    setup(ctx) {
      let previous: Map<string, string> | undefined;
      try {
        const current = snapshot(opts.client.getFeatureToggleDefinitions?.());
        if (current.size > 0) previous = current;
      } catch (error) {
        ctx.reportError('unleash.changed', error);
      }
      const listener = (features: unknown) => {
        try {
          const next = snapshot(features);
          if (previous) {
            for (const [name, hash] of next) if (previous.get(name) !== hash) publishFlagChange({ flag: flagLabel(name), source });
            for (const name of previous.keys()) if (!next.has(name)) publishFlagChange({ flag: flagLabel(name), source });
          }
          previous = next;
        } catch (error) {
          ctx.reportError('unleash.changed', error);
        }
      };
      opts.client.on('changed', listener);
      return () => {
        opts.client.off('changed', listener);
      };
    },
  };
}
