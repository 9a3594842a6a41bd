import { joinTemplate, mountTemplate, routePath, type LayerLike } from './templates.js';

/**
 * Route state rides on the request while it descends Express's layer stack. Express calls
 * `Layer#handle_request` (4) / `Layer#handleRequest` (5) for every layer that matched, and
 * `handle_error` / `handleError` while an error travels; Parapet wraps those two prototype
 * methods once per Express copy. A layer that adds a path segment pushes its template and
 * pops it when the request falls through (`next()`), so after the response the request holds
 * exactly the template of the route (or mount) that answered, with no mount-path values.
 */
export const STATE = Symbol('parapet.request');

/**
 * Everything Parapet tracks for one request, in one object of fixed shape under one symbol:
 * adding several properties to every `req` would change its hidden class and slow down all of
 * Express's own property reads on it. Requests without it (Parapet not attached) are skipped.
 */
export interface RequestState {
  start: number;
  traceId: string | undefined;
  /** Template of the mounts the request has descended into (`/orgs/:org`). */
  prefix: string | undefined;
  /** Full template of the route that matched. */
  route: string | undefined;
  error: unknown;
  /** An error (client or server) travelled through Express for this request. */
  sawError: boolean;
  notCounted: boolean;
}

export interface WithState {
  [STATE]?: RequestState;
}

export function newRequestState(start: number, traceId: string | undefined): RequestState {
  return { start, traceId, prefix: undefined, route: undefined, error: undefined, sawError: false, notCounted: false };
}

type Next = (err?: unknown) => void;
type HandleRequest = (this: LayerLike, req: WithState | null, res: unknown, next: Next) => unknown;
type HandleError = (this: LayerLike, error: unknown, req: WithState | null, res: unknown, next: Next) => unknown;

const PATCHED = Symbol.for('parapet.express.layerPatched');

/** Status of an error that is a deliberate client answer (http-errors style), else undefined. */
function clientStatus(error: unknown): number | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const e = error as { status?: unknown; statusCode?: unknown };
  const status = typeof e.status === 'number' ? e.status : e.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/** Remember the first server-side error that travels through Express for this request. */
export function recordError(state: RequestState, error: unknown): void {
  if (error === undefined || error === null || error === 'route' || error === 'router') return;
  state.sawError = true;
  if (state.error === undefined && clientStatus(error) === undefined) state.error = error;
}

function wrapRequest(original: HandleRequest): HandleRequest {
  return function parapetHandleRequest(this: LayerLike, req, res, next) {
    const state = req?.[STATE];
    if (state === undefined) return original.call(this, req, res, next);
    const route = this.route;
    const own = route !== undefined ? routePath(route) : mountTemplate(this);
    if (own === '') return original.call(this, req, res, next);
    const prefix = state.prefix;
    const matched = state.route;
    if (route !== undefined) state.route = joinTemplate(prefix ?? '', own);
    else state.prefix = (prefix ?? '') + own;
    return original.call(this, req, res, (err?: unknown) => {
      if (err === undefined || err === null || err === 'route' || err === 'router') {
        // Fell through: this layer did not answer, so its template no longer applies.
        state.prefix = prefix;
        state.route = matched;
      } else {
        // It threw: keep the template so the error response is labelled where it failed.
        recordError(state, err);
      }
      return next(err);
    });
  };
}

function wrapError(original: HandleError): HandleError {
  return function parapetHandleError(this: LayerLike, error, req, res, next) {
    const state = req?.[STATE];
    if (state !== undefined) recordError(state, error);
    return original.call(this, error, req, res, next);
  };
}

interface LayerProto {
  [PATCHED]?: boolean;
  handle_request?: HandleRequest;
  handle_error?: HandleError;
  handleRequest?: HandleRequest;
  handleError?: HandleError;
}

/** Wrap a Layer prototype's dispatch methods (idempotent). Returns false if it is not one. */
export function patchLayerPrototype(proto: LayerProto): boolean {
  if (proto[PATCHED]) return true;
  const requestName = typeof proto.handle_request === 'function' ? 'handle_request' : typeof proto.handleRequest === 'function' ? 'handleRequest' : undefined;
  const errorName = typeof proto.handle_error === 'function' ? 'handle_error' : typeof proto.handleError === 'function' ? 'handleError' : undefined;
  if (requestName === undefined || errorName === undefined) return false;
  proto[requestName] = wrapRequest(proto[requestName]!);
  proto[errorName] = wrapError(proto[errorName]!);
  Object.defineProperty(proto, PATCHED, { value: true });
  return true;
}

interface AppLike {
  _router?: { stack?: unknown[] };
  router?: { stack?: unknown[] };
}

const APP_READY = Symbol.for('parapet.express.appReady');

/**
 * Find the Layer prototype of the Express copy serving `app` (from any layer in its router)
 * and patch it. Express 4 keeps the router in `app._router` (its `app.router` getter throws);
 * Express 5 in `app.router`.
 */
export function ensureAppPatched(app: unknown): boolean {
  if (app === null || (typeof app !== 'function' && typeof app !== 'object')) return false;
  const a = app as AppLike & { [APP_READY]?: boolean };
  if (a[APP_READY]) return true;
  let stack: unknown[] | undefined;
  try {
    stack = (a._router ?? a.router)?.stack;
  } catch {
    stack = undefined;
  }
  const layer = stack?.find((l) => l !== null && typeof l === 'object');
  if (layer === undefined) return false;
  const ok = patchLayerPrototype(Object.getPrototypeOf(layer) as LayerProto);
  if (ok) Object.defineProperty(a, APP_READY, { value: true });
  return ok;
}
