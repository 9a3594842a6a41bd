import { publishHttpServerRequest } from '@parapet/core';
import { channelOf, traceIdReader } from '@parapet/core/integration';
import type { Express, Request, RequestHandler, Response } from 'express';
import { ensureAppPatched, newRequestState, STATE, type WithState } from './layer-patch.js';
import { resolveOptions, type ParapetExpressOptions } from './options.js';

const channel = channelOf('http.server.request');

/**
 * What both ways of installing Parapet share: per-request state on `req`, and one 'close'
 * listener per response that publishes the `http.server.request` event. 'close' follows
 * 'finish' on every response, and comes alone when the client went away first.
 */
function requestTracker(options: ParapetExpressOptions | undefined): (req: Request, res: Response, app?: unknown) => void {
  const { metricsPath, skip, traceId } = resolveOptions(options);
  const readTraceId = traceIdReader(traceId);

  // One listener shared by all responses (no closure per request); per-request values ride on req.
  function onClose(this: Response): void {
    try {
      const req = this.req as Request & WithState;
      const state = req[STATE];
      if (state === undefined || state.notCounted) return;
      const route = state.route ?? (state.prefix || undefined);
      if (metricsPath !== false && route === metricsPath) return;
      if (skip !== undefined && skip(req)) return;
      publishHttpServerRequest({
        method: req.method,
        route,
        statusCode: this.statusCode,
        durationSeconds: (performance.now() - state.start) / 1000,
        aborted: !this.writableFinished,
        error: state.error,
        traceId: state.traceId,
        framework: 'express',
      });
    } catch {
      // Losing one sample is better than breaking the response.
    }
  }

  // `app` is given when called before Express has set `req.app` (from instrument()).
  return (req, res, app) => {
    if (!channel.hasSubscribers || (req as Request & WithState)[STATE] !== undefined) return;
    try {
      ensureAppPatched(app ?? req.app);
      (req as Request & WithState)[STATE] = newRequestState(performance.now(), readTraceId(req));
      res.on('close', onClose);
    } catch {
      // The request goes on without instrumentation.
    }
  };
}

/**
 * Express 4/5 middleware: one `http.server.request` event per response, labelled by the full
 * route template. Install it first (`app.use(parapet())`). When Parapet is not attached the
 * cost is one property read. Never throws into the request: a failure here only loses a sample.
 */
export function parapet(options?: ParapetExpressOptions): RequestHandler {
  const track = requestTracker(options);
  return function parapetMiddleware(req, res, next) {
    track(req, res);
    next();
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
  const track = requestTracker(options);
  const handle = target.handle as (this: unknown, req: Request, res: Response, next?: unknown) => unknown;
  Object.defineProperty(target, INSTRUMENTED, { value: true });
  target.handle = function parapetHandle(this: unknown, req: Request, res: Response, next?: unknown) {
    track(req, res, app);
    return handle.call(this, req, res, next);
  };
  return app;
}
