import type { BetterAuthPlugin } from 'better-auth';
import { createAuthMiddleware } from 'better-auth/api';
import { publishJourneyStep } from '@parapet/core';
import { parseOptions } from '@parapet/core/integration';
import * as z from 'zod';
import { KNOWN_OAUTH_PROVIDERS, classifyPath, classifyResult, oauthMethod } from './classify.js';

export interface ParapetBetterAuthOptions {
  /** Journey name for sign-ins. Default `login`. */
  loginJourney?: string;
  /** Journey name for sign-ups. Default `signup`. */
  signupJourney?: string;
  /** Extra OAuth provider ids (generic OAuth) to label by name instead of `oauth_other`. */
  oauthProviders?: readonly string[];
  /**
   * better-auth error codes that are not failures of the journey for you, e.g.
   * `['INVALID_EMAIL_OR_PASSWORD']` to leave mistyped passwords out of the login SLI. Default: none
   * (a user who could not sign in did not succeed).
   */
  ignoreErrorCodes?: readonly string[];
  /** Put the user id in the event's refs (evidence and exemplars only, never labels). Default true. */
  userRefs?: boolean;
}

const name = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'a lower_snake name');
const schema = z.strictObject({
  loginJourney: name.optional(),
  signupJourney: name.optional(),
  oauthProviders: z.array(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/i)).optional(),
  ignoreErrorCodes: z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'an UPPER_SNAKE better-auth error code')).optional(),
  userRefs: z.boolean().optional(),
});

/** Endpoints the after hook looks at: everything else never reaches the classifier. */
const MATCH = /^\/(sign-in|sign-up|callback|oauth2\/callback|magic-link\/verify|passkey\/verify-authentication|two-factor\/verify-|one-tap\/callback|siwe\/verify)/;

function idOf(value: unknown): string | undefined {
  const id = (value as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * A better-auth plugin that publishes `journey.step` for sign-ins and sign-ups, through
 * better-auth's own hooks (an `after` endpoint hook and a `user.create.after` database hook):
 *
 * - login: success when the endpoint created a session; failure when it returned an APIError
 *   (status >= 400) or an error redirect (OAuth callback, magic link); neutral otherwise.
 * - signup: `/sign-up/email` by its result; a user created anywhere else (first OAuth login,
 *   magic link) is a signup success with that method.
 *
 * The step label is the sign-in method (`email`, `username`, `magic_link`, `passkey`,
 * `oauth_<provider>` from a closed set, ...). Errors that are not better-auth APIErrors skip
 * after hooks: count those as 5xx with @parapet/express or @parapet/hono.
 */
export function parapetBetterAuth(options: ParapetBetterAuthOptions = {}): BetterAuthPlugin {
  const opts = parseOptions(schema, options, 'parapetBetterAuth()');
  const journeys = { login: opts.loginJourney ?? 'login', signup: opts.signupJourney ?? 'signup' };
  const oauth = new Set<string>([...KNOWN_OAUTH_PROVIDERS, ...(opts.oauthProviders ?? []).map((p) => p.toLowerCase())]);
  const ignored = new Set(opts.ignoreErrorCodes ?? []);
  const userRefs = opts.userRefs ?? true;

  const publish = (journey: 'login' | 'signup', method: string, outcome: 'success' | 'failure', reason?: string, userId?: string) => {
    try {
      publishJourneyStep({
        journey: journeys[journey],
        step: method,
        outcome,
        ...(reason && { reason }),
        ...(userRefs && userId && { refs: { user_id: userId } }),
      });
    } catch {
      // never break sign-in
    }
  };

  return {
    id: 'parapet',
    init() {
      return {
        options: {
          databaseHooks: {
            user: {
              create: {
                // Sign-ups that do not go through /sign-up/* (first OAuth login, magic link, one tap).
                async after(user, ctx) {
                  const path = (ctx as { path?: string } | null | undefined)?.path;
                  if (path?.startsWith('/sign-up')) return;
                  const c = classifyPath(path, oauth);
                  const method = c?.method ?? (path?.includes('callback') ? oauthMethod(path.split('/').pop() ?? '', oauth) : 'other');
                  publish('signup', method, 'success', undefined, idOf(user));
                },
              },
            },
          },
        },
      };
    },
    hooks: {
      after: [
        {
          matcher: (ctx) => typeof ctx.path === 'string' && MATCH.test(ctx.path),
          handler: createAuthMiddleware(async (ctx) => {
            try {
              // Router calls carry the template (`/callback/:id`); the provider is in params.
              const id = (ctx.params as { id?: unknown } | undefined)?.id;
              const path = typeof id === 'string' ? ctx.path?.replace(':id', id) : ctx.path;
              const c = classifyPath(path, oauth);
              if (!c) return;
              const provider = (ctx.body as { provider?: unknown } | undefined)?.provider;
              if (c.method === 'oauth_other' && typeof provider === 'string') c.method = oauthMethod(provider, oauth);
              const newSession = ctx.context.newSession;
              const result = classifyResult({ journey: c.journey, redirects: c.redirects, newSession, returned: ctx.context.returned });
              if (result.outcome === 'neutral') return;
              if (result.outcome === 'failure' && ignored.has(result.reason)) return;
              const userId = idOf((newSession as { user?: unknown } | null)?.user) ?? idOf((ctx.context.returned as { user?: unknown } | null)?.user);
              publish(c.journey, c.method, result.outcome, result.outcome === 'failure' ? result.reason : undefined, userId);
            } catch {
              // never break sign-in
            }
          }),
        },
      ],
    },
  } satisfies BetterAuthPlugin;
}
