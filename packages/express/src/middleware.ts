import { publishHttpServerRequest } from '@parapet/core';
import { channelOf, callSkip, isMetricsMethod, metricsMethodNotAllowed, nodeResponseOutcome, toNodeHandler, traceIdReader, writeResponse } from '@parapet/core/integration';
import type { Express, Request, RequestHandler, Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ensureAppPatched, newRequestState, STATE, type WithState } from './layer-patch.js';
import { resolveOptions, type ParapetExpressOptions } from './options.js';
import { staticRouteFor } from './templates.js';

const channel = channelOf('http.server.request');

/** The path part of a request URL (`/metrics` of `/metrics?x=1`). */
function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** Whether a request URL's path is exactly `path` (no allocation: this runs on every request). */
function isPath(url: string | undefined, path: string): boolean {
  if (url === undefined || !url.startsWith(path)) return false;
  return url.length === path.length || url.charCodeAt(path.length) === 63; /* '?' */
}

interface Tracker {
  /** Start tracking a request; `app` is given when called before Express set `req.app`. */
  track(req: Request, res: Response, app?: unknown): void;
  /**
   * Answer the metrics path when the adapter owns it (`metrics` option: serve it; any method but
   * GET/HEAD: 405). Returns true when the request was answered here.
   */
  answerMetrics(req: IncomingMessage, res: ServerResponse): boolean;
}

/**
 * What both ways of installing Parapet share: per-request state on `req`, and one 'close'
 * listener per response that publishes the `http.server.request` event. 'close' follows
 * 'finish' on every response, and comes alone when the client went away first or the response
 * failed after it started (see `nodeResponseOutcome`).
 */
function requestTracker(options: ParapetExpressOptions | undefined, where: string): Tracker {
  const { metricsPath, skip, traceId, metricsHandler } = resolveOptions(options, where);
  const readTraceId = traceIdReader(traceId);
  const customTraceId = typeof traceId === 'function';
  const serveMetrics = metricsHandler !== undefined ? toNodeHandler(metricsHandler) : undefined;

  // One listener shared by all responses (no closure per request); per-request values ride on req.
  function onClose(this: Response): void {
    try {
      const req = this.req as Request & WithState;
      const state = req[STATE];
      if (state === undefined || state.notCounted) return;
      let route = state.route ?? (state.prefix || undefined);
      if (metricsPath !== false && route === metricsPath) return;
      const outcome = nodeResponseOutcome(this, state.error);
      // An error (a body parser's 400) stopped the request before the router dispatched to the
      // route it matched: keep that route's template.
      if (route === undefined && state.sawError) route = staticRouteFor(req.app, req.method, pathOf(req.originalUrl ?? req.url));
      if (callSkip(skip, req)) return;
      publishHttpServerRequest({
        method: req.method,
        route,
        statusCode: outcome.statusCode,
        durationSeconds: (performance.now() - state.start) / 1000,
        aborted: outcome.aborted,
        error: outcome.error,
        traceId: state.traceId,
        framework: 'express',
      });
    } catch {
      // Losing one sample is better than breaking the response.
    }
  }

  const track = (req: Request, res: Response, app?: unknown): void => {
    if (!channel.hasSubscribers || (req as Request & WithState)[STATE] !== undefined) return;
    try {
      const owner = app ?? req.app;
      ensureAppPatched(owner);
      // instrument() sees the request before Express gave it its prototype; a reader typed to
      // get an Express request gets one (Express sets the same prototypes again, harmlessly).
      if (customTraceId && app !== undefined) asExpressRequest(app, req, res);
      const state = newRequestState(performance.now(), readTraceId(req));
      if (metricsPath !== false && isPath(req.originalUrl ?? req.url, metricsPath)) state.notCounted = true;
      (req as Request & WithState)[STATE] = state;
      // The client may have left before the request reached the app ('close' was emitted
      // already): record it once the router has matched it, instead of never.
      if (res.destroyed) setImmediate(() => onClose.call(res));
      else res.on('close', onClose);
    } catch {
      // The request goes on without instrumentation.
    }
  };

  const answerMetrics = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (metricsPath === false || !isPath((req as Request).originalUrl ?? req.url, metricsPath)) return false;
    const state = (req as Request & WithState)[STATE];
    if (state !== undefined) state.notCounted = true;
    if (!isMetricsMethod(req.method ?? 'GET')) {
      void writeResponse(res, metricsMethodNotAllowed()).catch(() => res.destroy());
      return true;
    }
    if (serveMetrics === undefined) return false;
    void serveMetrics(req, res);
    return true;
  };

  return { track, answerMetrics };
}

/** Give a raw Node request and response the Express app's prototypes (what Express does on entry). */
function asExpressRequest(app: unknown, req: object, res: object): void {
  const a = app as { request?: object; response?: object };
  if (a.request !== undefined && Object.getPrototypeOf(req) !== a.request) Object.setPrototypeOf(req, a.request);
  if (a.response !== undefined && Object.getPrototypeOf(res) !== a.response) Object.setPrototypeOf(res, a.response);
  (req as { res?: object }).res = res;
  (res as { req?: object }).req = req;
}

/**
 * Express 4/5 middleware: one `http.server.request` event per response, labelled by the full
 * route template. Install it first (`app.use(parapet())`). When Parapet is not attached the
 * cost is one property read. Never throws into the request: a failure here only loses a sample.
 *
 * At `metricsPath` (default `/metrics`) it answers methods other than GET and HEAD with 405 and
 * `Allow: GET, HEAD`; with the `metrics` option it serves the endpoint itself.
 */
export function parapet(options?: ParapetExpressOptions): RequestHandler {
  const { track, answerMetrics } = requestTracker(options, 'parapet()');
  return function parapetMiddleware(req, res, next) {
    track(req, res);
    if (!answerMetrics(req, res)) next();
  };
}

const INSTRUMENTED = Symbol.for('parapet.express.instrumented');

/**
 * The same signals without a middleware layer: wraps `app.handle`, so requests skip the cost of
 * one more layer in Express's router (about 14 µs per request on Express 5, measured in
 * bench/request-path.ts). Call once, before `app.listen()`. Returns the app.
 */
export function instrument<App extends Express>(app: App, options?: ParapetExpressOptions): App {
  const target = app as App & { handle?: unknown; [INSTRUMENTED]?: boolean };
  if (typeof app !== 'function' || typeof target.handle !== 'function') {
    throw new TypeError('@parapet/express: instrument(app) expects an Express application (express()), got ' + (app === null ? 'null' : typeof app) + '.');
  }
  if (target[INSTRUMENTED]) throw new TypeError('@parapet/express: this app is already instrumented; call instrument(app) once.');
  const { track, answerMetrics } = requestTracker(options, 'instrument(app, options)');
  const handle = target.handle as (this: unknown, req: Request, res: Response, next?: unknown) => unknown;
  Object.defineProperty(target, INSTRUMENTED, { value: true });
  target.handle = function parapetHandle(this: unknown, req: Request, res: Response, next?: unknown) {
    track(req, res, app);
    if (answerMetrics(req, res)) return undefined;
    return handle.call(this, req, res, next);
  };
  return app;
}
