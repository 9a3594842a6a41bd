import type { Context } from 'hono';

/** Options of the `parapet()` middleware. */
export interface ParapetHonoOptions {
  /**
   * Route template of the metrics endpoint; requests to it are never counted. Default
   * `'/metrics'`. `false` counts every route. (Handlers from `metricsHandler()` are never
   * counted wherever they are mounted.)
   */
  metricsPath?: string | false;
  /** Leave a request out of the metrics (health checks, ...). Called once, after the response. */
  skip?: (c: Context) => boolean;
  /**
   * Trace id attached as an exemplar. Default: the active OpenTelemetry span's trace id when
   * `@opentelemetry/api` is installed. `false` turns exemplars off.
   */
  traceId?: false | ((c: Context) => string | undefined);
}

/**
 * Options of `instrument(app)`. The same as the middleware's, except that the callbacks get the
 * `Request` (there is no Hono `Context` outside the app).
 */
export interface ParapetInstrumentOptions {
  /** As for `parapet()`: route template that is never counted, default `'/metrics'`; `false` counts everything. */
  metricsPath?: string | false;
  /** Leave a request out of the metrics. Called once, after the response, with the request and its route template. */
  skip?: (request: Request, route: string | undefined) => boolean;
  /**
   * Trace id attached as an exemplar, read when the request enters `app.fetch`. Default: the
   * active OpenTelemetry span's trace id. `false` turns exemplars off.
   */
  traceId?: false | ((request: Request) => string | undefined);
}

export interface ResolvedOptions<Skip, TraceId> {
  metricsPath: string | false;
  skip: Skip | undefined;
  traceId: false | TraceId | undefined;
}

/** How a setup call is named in error messages. */
interface Caller {
  /** `parapet(options)` */
  signature: string;
  /** `parapet()` or `parapet({ metricsPath: '/metrics' })` */
  example: string;
  skip: string;
  traceId: string;
}

export const MIDDLEWARE: Caller = {
  signature: 'parapet(options)',
  example: "parapet() or parapet({ metricsPath: '/metrics' })",
  skip: '(c) => boolean',
  traceId: '(c) => string | undefined',
};

export const INSTRUMENT: Caller = {
  signature: 'instrument(app, options)',
  example: "instrument(app) or instrument(app, { metricsPath: '/metrics' })",
  skip: '(request, route) => boolean',
  traceId: '(request) => string | undefined',
};

const KNOWN = ['metricsPath', 'skip', 'traceId'] as const;

const fail = (message: string): never => {
  throw new TypeError(`@parapet/hono: ${message}`);
};

/** Validate options once, at setup, with messages that say what to pass instead. */
export function resolveOptions<Skip, TraceId>(options: unknown, caller: Caller = MIDDLEWARE): ResolvedOptions<Skip, TraceId> {
  if (options === undefined) return { metricsPath: '/metrics', skip: undefined, traceId: undefined };
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    return fail(`${caller.signature} expects an options object, got ${options === null ? 'null' : typeof options}. Call ${caller.example}.`);
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!(KNOWN as readonly string[]).includes(key)) fail(`unknown option "${key}". Known options: ${KNOWN.join(', ')}.`);
  }
  const { metricsPath = '/metrics', skip, traceId } = o;
  if (metricsPath !== false && (typeof metricsPath !== 'string' || !metricsPath.startsWith('/'))) {
    fail(`metricsPath must be a route path starting with "/" (e.g. "/metrics") or false, got ${JSON.stringify(metricsPath)}.`);
  }
  if (skip !== undefined && typeof skip !== 'function') fail(`skip must be a function ${caller.skip}, got ${typeof skip}.`);
  if (traceId !== undefined && traceId !== false && typeof traceId !== 'function') {
    fail(`traceId must be a function ${caller.traceId}, or false to disable exemplars; got ${typeof traceId}.`);
  }
  return {
    metricsPath: metricsPath as string | false,
    skip: skip as Skip | undefined,
    traceId: traceId as false | TraceId | undefined,
  };
}
