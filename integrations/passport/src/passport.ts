import type { IncomingMessage, ServerResponse } from 'node:http';
import { publishJourneyStep } from '@parapet/core';
import { ParapetError, parseOptions } from '@parapet/core/integration';
import * as z from 'zod';

/** Connect/Express middleware, typed without depending on Express's types. */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;
/** Passport's custom callback: `(err, user, info, status)`. */
export type AuthenticateCallback = (error: unknown, user: unknown, info?: unknown, status?: unknown) => void;

/** The part of a Passport Authenticator used here (`import passport from 'passport'`, or `new Passport()`). */
export interface PassportLike {
  authenticate(strategy: string | string[], options: object, callback?: AuthenticateCallback): Middleware;
}

export interface ParapetPassportOptions {
  /** Journey name. Default `login`. */
  journey?: string;
  /** Put the user's `id` (when it has one) in the event's refs (evidence, exemplars; never labels). Default true. */
  userRefs?: boolean;
}

const label = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'a lower_snake name');
const schema = z.strictObject({ journey: label.optional(), userRefs: z.boolean().optional() });
const methodSchema = z.strictObject({ method: z.string().regex(/^[a-z0-9][a-z0-9_+.-]{0,31}$/i, 'a strategy name of at most 32 characters').optional() });

export interface ParapetPassport {
  /**
   * Drop-in for `passport.authenticate(strategy, options?, callback?)`. Passport does all the
   * work (strategies, `req.logIn`, redirects, 401 challenges, `failWithError`); this publishes
   * the outcome: success when Passport logged a user in (or, with a custom callback, handed it
   * one), failure when the strategy failed, errored or `req.logIn` failed. `pass()` is neither.
   */
  authenticate(strategy: string | string[], options?: object, callback?: AuthenticateCallback): Middleware;
  /**
   * Wrap your strategy's verify function (`new LocalStrategy(wrapVerify(verify))`): its `done`
   * reports the outcome. Use it when you cannot use `authenticate` (e.g. a framework calls
   * Passport for you); do not use both, or each login counts twice.
   */
  wrapVerify<F extends (...args: never[]) => unknown>(verify: F, options?: { method?: string }): F;
}

const methodOf = (strategy: string | string[]) => (Array.isArray(strategy) ? strategy.join('+') : strategy).toLowerCase().slice(0, 32);
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** Login journey outcomes from Passport's public API: the custom callback, `next` and the response. */
export function parapetPassport(passport: PassportLike, options: ParapetPassportOptions = {}): ParapetPassport {
  if (typeof passport?.authenticate !== 'function') {
    throw new ParapetError('INVALID_OPTIONS', 'parapetPassport(): pass the Passport instance, e.g. parapetPassport(passport) with `import passport from "passport"`.');
  }
  const opts = parseOptions(schema, options, 'parapetPassport()');
  const journey = opts.journey ?? 'login';
  const userRefs = opts.userRefs ?? true;

  const publish = (method: string, outcome: 'success' | 'failure', extra: { reason?: string; user?: unknown; start?: bigint }) => {
    try {
      const id = (extra.user as { id?: unknown } | null | undefined)?.id;
      publishJourneyStep({
        journey,
        step: method,
        outcome,
        ...(extra.reason && { reason: extra.reason }),
        ...(extra.start !== undefined && { durationSeconds: seconds(extra.start) }),
        ...(userRefs && (typeof id === 'string' || typeof id === 'number') && { refs: { user_id: String(id) } }),
      });
    } catch {
      // never break a login
    }
  };
  const errorReason = (error: unknown) => ((error as { name?: unknown })?.name === 'AuthenticationError' ? 'rejected' : 'error');

  return {
    authenticate(strategy, passportOptions = {}, callback) {
      if (typeof passportOptions === 'function') {
        callback = passportOptions as AuthenticateCallback;
        passportOptions = {};
      }
      const method = methodOf(strategy);
      if (callback) {
        const host = callback;
        const observed: AuthenticateCallback = function (this: unknown, error, user, info, status) {
          if (error) publish(method, 'failure', { reason: 'error' });
          else if (user) publish(method, 'success', { user });
          else publish(method, 'failure', { reason: 'rejected' });
          return host.call(this, error, user, info, status);
        };
        // With a custom callback the host owns the response; the outcome is what Passport handed it.
        return passport.authenticate(strategy, passportOptions, observed);
      }
      const inner = passport.authenticate(strategy, passportOptions);
      return (req, res, next) => {
        const start = process.hrtime.bigint();
        const userBefore = (req as { user?: unknown }).user;
        let settled = false;
        const settle = (outcome: 'success' | 'failure' | 'none', reason?: string) => {
          if (settled) return;
          settled = true;
          res.off('finish', onFinish);
          if (outcome !== 'none') publish(method, outcome, { reason, user: (req as { user?: unknown }).user, start });
        };
        const loggedIn = () => {
          const user = (req as { user?: unknown }).user;
          return !!user && user !== userBefore;
        };
        // Redirects (successRedirect/failureRedirect) and 401 challenges end the response without next().
        const onFinish = () => settle(loggedIn() ? 'success' : 'failure', loggedIn() ? undefined : res.statusCode >= 500 ? 'error' : 'rejected');
        res.on('finish', onFinish);
        inner(req, res, (error?: unknown) => {
          if (error) settle('failure', errorReason(error));
          else settle(loggedIn() ? 'success' : 'none'); // no user: the strategy called pass()
          next(error);
        });
      };
    },

    wrapVerify(verify, verifyOptions = {}) {
      if (typeof verify !== 'function') throw new ParapetError('INVALID_OPTIONS', 'wrapVerify(): pass your strategy\'s verify function.');
      const { method = 'local' } = parseOptions(methodSchema, verifyOptions, 'wrapVerify()');
      const label = method.toLowerCase();
      const wrapped = function (this: unknown, ...args: unknown[]) {
        const done = args[args.length - 1];
        if (typeof done === 'function') {
          const start = process.hrtime.bigint();
          args[args.length - 1] = function (this: unknown, error: unknown, user: unknown, ...rest: unknown[]) {
            if (error) publish(label, 'failure', { reason: 'error', start });
            else if (user) publish(label, 'success', { user, start });
            else publish(label, 'failure', { reason: 'rejected', start });
            return (done as (...a: unknown[]) => unknown).call(this, error, user, ...rest);
          };
        }
        try {
          return (verify as unknown as (...a: unknown[]) => unknown).apply(this, args);
        } catch (error) {
          publish(label, 'failure', { reason: 'error' });
          throw error;
        }
      };
      // Some strategies (passport-oauth2) pick the verify signature from its arity: keep it.
      Object.defineProperty(wrapped, 'length', { value: verify.length });
      return wrapped as unknown as typeof verify;
    },
  };
}
