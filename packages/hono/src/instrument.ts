import type { Context, ErrorHandler, Hono } from 'hono';
import type { Result, Router } from 'hono/router';
import type { H, RouterRoute } from 'hono/types';
import { excludeRequest, isExcluded } from './metrics.js';
import { nodeOutgoing, watchClose, type PendingResponse } from './node.js';
import { urlHasPath, resolveOptions, type ParapetInstrumentOptions } from './options.js';
import { callSkip, isMetricsMethod, metricsMethodNotAllowed, traceIdReader, type ResponseOutcome } from '@parapet/core/integration';
import { bodyOutcome, channel, metricsRoute, publishRequest, serverError } from './record.js';
import { matchedRoute } from './route.js';
import { timeResponse } from './timed-body.js';

type Match = Result<[H, RouterRoute]>;
type Fetch = (request: Request, env?: unknown, executionCtx?: unknown) => Response | Promise<Response>;

/** What instrument() touches on a Hono app (`errorHandler` is private in Hono's types). */
interface HonoInternals {
  fetch: Fetch;
  router: Router<[H, RouterRoute]>;
  errorHandler: ErrorHandler;
}

interface Pending extends PendingResponse {
  request: Request;
  route: string | undefined;
  start: number;
  trace: string | undefined;
}

const INSTRUMENTED = new WeakSet<object>();

/** Set while a request is inside `app.fetch` and its router match has not been seen yet. */
const WAITING: unique symbol = Symbol('parapet.waiting');

const fail = (message: string): never => {
  throw new TypeError(`@parapet/hono: ${message}`);
};

/** Any Env, Schema and BasePath. */
type AnyHono = Hono<any, any, any>;

/**
 * Record every request of a Hono app without a middleware: `serve(instrument(app))`.
 *
 * Publishes the same `http.server.request` events as `app.use(parapet())` — route template
 * (sub-apps and `basePath` included), method, status, errors, aborts, exemplars, stream-accurate
 * timing — but keeps Hono's synchronous single-handler fast path, which any middleware gives up.
 * It wraps `app.fetch` (so `serve(app)`, `export default app` and `app.request()` are all
 * counted), reads the route from Hono's own router match (`app.router.match`, which Hono calls
 * synchronously as a request enters `app.fetch`), and sees thrown errors through
 * `app.errorHandler` (`app.onError(...)` still sets your handler). Call it once, after
 * `app.onError`/routes or before — order does not matter — but before handing `app.fetch` to
 * a server. Returns the same app. When Parapet is not attached the cost is one property read.
 */
export function instrument<App extends AnyHono>(app: App, options?: ParapetInstrumentOptions): App {
  const target = app as unknown as HonoInternals;
  if (target === null || typeof target !== 'object' || typeof target.fetch !== 'function' || typeof target.router?.match !== 'function' || typeof target.errorHandler !== 'function') {
    return fail(`instrument(app, options) expects a Hono app (new Hono()), got ${target === null ? 'null' : typeof target}.`);
  }
  if (INSTRUMENTED.has(target)) return fail('this app is already instrumented; call instrument(app) once.');
  const { metricsPath, skip, traceId, metricsHandler } = resolveOptions<NonNullable<ParapetInstrumentOptions['skip']>, (request: Request) => string | undefined>(
    options,
    'instrument(app, options)',
  );
  const readTraceId = traceIdReader(traceId);
  const isMetricsRoute = metricsRoute(metricsPath);

  // Errors reach the app's error handler (Hono's default or app.onError's) with the request.
  const errors = new WeakMap<Request, unknown>();
  let userErrorHandler = target.errorHandler;
  const errorHandler: ErrorHandler = (err, c: Context) => {
    try {
      errors.set(c.req.raw, err);
    } catch {
      // Counted by its status alone.
    }
    return userErrorHandler(err, c);
  };
  Object.defineProperty(target, 'errorHandler', {
    configurable: true,
    enumerable: true,
    get: () => errorHandler,
    set: (handler: ErrorHandler) => {
      userErrorHandler = handler;
    },
  });

  // The first match after a request entered app.fetch is that request's (HEAD included: Hono
  // matches it as GET). SmartRouter replaces its own `match` on first use, so wrap the router
  // object rather than its method.
  const router = target.router;
  let match: Match | typeof WAITING | undefined;
  target.router = {
    get name() {
      return router.name;
    },
    add: (method, path, handler) => router.add(method, path, handler),
    match: (method, path) => {
      const result = router.match(method, path);
      if (match === WAITING) match = result;
      return result;
    },
  };

  const record = (request: Request, route: string | undefined, start: number, outcome: ResponseOutcome, trace: string | undefined) => {
    try {
      if (isExcluded(request)) return;
      if (callSkip(skip, request, route)) return;
      publishRequest({ method: request.method, route, start, traceId: trace, ...outcome });
    } catch {
      // Losing one sample is better than breaking the response.
    }
  };
  const failed = (request: Request): ResponseOutcome => ({ statusCode: 500, aborted: false, error: errors.get(request) });

  const error = (p: Pending) => serverError(errors.get(p.request));
  const finish = (p: Pending, outcome: ResponseOutcome) => record(p.request, p.route, p.start, outcome, p.trace);

  /** The route of the request leaving app.fetch, restoring the outer request's match (nested fetch). */
  const takeRoute = (outer: typeof match): string | undefined => {
    const taken = match;
    match = outer;
    return taken === WAITING || taken === undefined ? undefined : matchedRoute(taken);
  };
  /** On Node the response object says when the last byte left, streams included. */
  const watchNode = (env: unknown, request: Request, route: string | undefined, start: number, trace: string | undefined): boolean => {
    const outgoing = nodeOutgoing(env);
    if (outgoing === undefined) return false;
    const pending: Pending = { error, finish, request, route, start, trace };
    watchClose(outgoing, pending);
    return true;
  };
  /** Without a Node response to watch, the end of the body is the end of the response. */
  const timed = (res: Response, request: Request, route: string | undefined, start: number, trace: string | undefined) =>
    timeResponse(res, (status, end, bodyError) => {
      const outcome = bodyOutcome(status, end, bodyError);
      record(request, route, start, { ...outcome, error: typeof end === 'object' ? outcome.error : (outcome.error ?? errors.get(request)) }, trace);
    }, request.method === 'HEAD');
  const fetch = target.fetch;
  target.fetch = (request, env, executionCtx) => {
    if (metricsPath !== false && urlHasPath(request.url, metricsPath)) {
      // The metrics path is never counted, whatever the method.
      if (!isMetricsMethod(request.method)) return metricsMethodNotAllowed();
      if (metricsHandler !== undefined) return metricsHandler(request);
      if (channel.hasSubscribers) excludeRequest(request);
    }
    if (!channel.hasSubscribers) return fetch(request, env, executionCtx);
    const start = performance.now();
    const trace = readTraceId(request);
    const outer = match; // a handler may call app.fetch() itself
    match = WAITING;
    let res: Response | Promise<Response>;
    try {
      res = fetch(request, env, executionCtx);
    } catch (error) {
      // Only a non-Error throw gets here (Hono hands Errors to the error handler).
      const route = takeRoute(outer);
      if (!isMetricsRoute(route)) {
        errors.set(request, error);
        if (!watchNode(env, request, route, start, trace)) record(request, route, start, failed(request), trace);
      }
      throw error;
    }
    const route = takeRoute(outer);
    if (isMetricsRoute(route) || watchNode(env, request, route, start, trace)) return res;
    if (!(res instanceof Promise)) return timed(res, request, route, start, trace);
    return res.then(
      (r) => timed(r, request, route, start, trace),
      (error: unknown) => {
        if (!errors.has(request)) errors.set(request, error);
        record(request, route, start, failed(request), trace);
        throw error;
      },
    );
  };
  INSTRUMENTED.add(target);
  return app;
}
