import { OpenFeature, ProviderEvents, type EventDetails, type Hook } from '@openfeature/server-sdk';
import { publishFlagChange } from '@parapet/core';
import { parseOptions, type Integration } from '@parapet/core/integration';
import * as z from 'zod';
import { EVALUATION_ERROR_CODES, flagEvaluationErrors } from './metrics.js';
import { flagLabel, sourceLabel } from './normalize.js';

/** What the integration needs from the OpenFeature API object (or a client / domain-scoped client). */
export interface OpenFeatureEventsLike {
  addHandler(event: ProviderEvents.ConfigurationChanged, handler: (details?: EventDetails) => void): void;
  removeHandler(event: ProviderEvents.ConfigurationChanged, handler: (details?: EventDetails) => void): void;
  addHooks(...hooks: Hook[]): unknown;
}

export interface ParapetOpenFeatureOptions {
  /** Where to listen and hook: the `OpenFeature` API (default) or one client (`OpenFeature.getClient()`). */
  target?: OpenFeatureEventsLike;
  /** `source` label of flag changes. Default: the provider's name (`launchdarkly`, `flagd`, `in-memory`, ...). */
  source?: string;
  /** Count evaluation errors in `parapet_flag_evaluation_errors_total`. Default true. */
  evaluationErrors?: boolean;
}

const schema = z.strictObject({
  target: z.custom<OpenFeatureEventsLike>(
    (t) => typeof (t as OpenFeatureEventsLike)?.addHandler === 'function' && typeof (t as OpenFeatureEventsLike)?.addHooks === 'function',
    { message: 'the OpenFeature API or an OpenFeature client' },
  ).optional(),
  source: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'a lower-case name').optional(),
  evaluationErrors: z.boolean().optional(),
});

const CODES = new Set<string>(EVALUATION_ERROR_CODES);

/**
 * The OpenFeature integration for `attach()`: every `PROVIDER_CONFIGURATION_CHANGED` becomes one
 * `flag.change` per changed flag (`flagsChanged`; `_unknown` when the provider does not say), and
 * an `error` hook counts failed evaluations by flag and error code. Successful evaluations are
 * never recorded. OpenFeature cannot remove a hook, so after detach the hook stays registered
 * and does nothing.
 */
export function parapetOpenFeature(options: ParapetOpenFeatureOptions = {}): Integration {
  const opts = parseOptions(schema, options, 'parapetOpenFeature()');
  const target: OpenFeatureEventsLike = opts.target ?? (OpenFeature as unknown as OpenFeatureEventsLike);
  let hookInstalled = false;
  let onError: ((flag: string, code: string) => void) | undefined;
  const hook: Hook = {
    error(hookContext, error) {
      const code = String((error as { code?: unknown })?.code ?? 'GENERAL');
      onError?.(flagLabel(hookContext.flagKey), CODES.has(code) ? code : 'GENERAL');
    },
  };

  return {
    name: 'openfeature',
    setup(ctx) {
      const errors = ctx.metrics.counter(flagEvaluationErrors);
      const handler = (details?: EventDetails) => {
        try {
          const source = opts.source ?? sourceLabel(details?.providerName);
          const changed: unknown = (details as { flagsChanged?: unknown } | undefined)?.flagsChanged;
          const flags = Array.isArray(changed) && changed.length > 0 ? changed : ['_unknown'];
          for (const flag of flags) publishFlagChange({ flag: flagLabel(flag), source });
        } catch (error) {
          ctx.reportError('openfeature.configuration_changed', error);
        }
      };
      target.addHandler(ProviderEvents.ConfigurationChanged, handler);
      if (opts.evaluationErrors ?? true) {
        onError = (flag, code) => {
          try {
            errors.labels({ flag, error_code: code }).inc(1);
          } catch (error) {
            ctx.reportError('openfeature.hook', error);
          }
        };
        if (!hookInstalled) {
          target.addHooks(hook);
          hookInstalled = true;
        }
      }
      return () => {
        target.removeHandler(ProviderEvents.ConfigurationChanged, handler);
        onError = undefined;
      };
    },
  };
}
