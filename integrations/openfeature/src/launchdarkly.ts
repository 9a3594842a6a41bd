import { publishFlagChange } from '@parapet/core';
import { parseOptions, type Integration } from '@parapet/core/integration';
import * as z from 'zod';
import { flagEvaluationErrors } from './metrics.js';
import { flagLabel } from './normalize.js';

/** The part of a LaunchDarkly server-side client (`init(sdkKey)`) used here. */
export interface LaunchDarklyClientLike {
  on(event: 'update', listener: (change: { key?: unknown }) => void): unknown;
  off(event: 'update', listener: (change: { key?: unknown }) => void): unknown;
  addHook?(hook: LaunchDarklyHook): void;
}

interface EvaluationDetailLike {
  reason?: { kind?: unknown; errorKind?: unknown };
}
/** A LaunchDarkly evaluation hook (the SDK's `Hook` interface). */
export interface LaunchDarklyHook {
  getMetadata(): { name: string };
  afterEvaluation?(hookContext: { flagKey: string }, data: Record<string, unknown>, detail: EvaluationDetailLike): Record<string, unknown>;
}

export interface ParapetLaunchDarklyOptions {
  client: LaunchDarklyClientLike;
  /** `source` label of flag changes. Default `launchdarkly`. */
  source?: string;
  /** Count evaluation errors through the client's `addHook` (LaunchDarkly SDK >= 9.7). Default true. */
  evaluationErrors?: boolean;
}

const schema = z.strictObject({
  client: z.custom<LaunchDarklyClientLike>((c) => typeof (c as LaunchDarklyClientLike)?.on === 'function' && typeof (c as LaunchDarklyClientLike)?.off === 'function', {
    message: 'a LaunchDarkly client (init(sdkKey))',
  }),
  source: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/).optional(),
  evaluationErrors: z.boolean().optional(),
});

/** LaunchDarkly error kinds in OpenFeature's vocabulary, so one metric serves both. */
const ERROR_KINDS: Record<string, string> = {
  CLIENT_NOT_READY: 'PROVIDER_NOT_READY',
  MALFORMED_FLAG: 'PARSE_ERROR',
  FLAG_NOT_FOUND: 'FLAG_NOT_FOUND',
  USER_NOT_SPECIFIED: 'TARGETING_KEY_MISSING',
  WRONG_TYPE: 'TYPE_MISMATCH',
  EXCEPTION: 'GENERAL',
};

/**
 * LaunchDarkly without OpenFeature: each `'update'` event (a flag's configuration changed) is a
 * `flag.change`; failed evaluations count in `parapet_flag_evaluation_errors_total`. LaunchDarkly
 * cannot remove a hook, so after detach it stays registered and does nothing.
 */
export function parapetLaunchDarkly(options: ParapetLaunchDarklyOptions): Integration {
  const opts = parseOptions(schema, options, 'parapetLaunchDarkly()');
  const source = opts.source ?? 'launchdarkly';
  let onError: ((flag: string, code: string) => void) | undefined;
  let hookInstalled = false;
  const hook: LaunchDarklyHook = {
    getMetadata: () => ({ name: 'parapet' }),
    afterEvaluation(hookContext, data, detail) {
      if (detail?.reason?.kind === 'ERROR') onError?.(flagLabel(hookContext.flagKey), ERROR_KINDS[String(detail.reason.errorKind)] ?? 'GENERAL');
      return data;
    },
  };
  return {
    name: 'launchdarkly',
    setup(ctx) {
      const listener = (change: { key?: unknown }) => {
        try {
          publishFlagChange({ flag: flagLabel(change?.key), source });
        } catch (error) {
          ctx.reportError('launchdarkly.update', error);
        }
      };
      opts.client.on('update', listener);
      if ((opts.evaluationErrors ?? true) && typeof opts.client.addHook === 'function') {
        const errors = ctx.metrics.counter(flagEvaluationErrors);
        onError = (flag, code) => errors.labels({ flag, error_code: code }).inc(1);
        if (!hookInstalled) {
          opts.client.addHook(hook);
          hookInstalled = true;
        }
      }
      return () => {
        opts.client.off('update', listener);
        onError = undefined;
      };
    },
  };
}
