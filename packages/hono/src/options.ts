import { resolveHttpAdapterOptions, type HttpAdapterCaller, type ResolvedHttpAdapterOptions } from '@parapet/core/integration';
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

export type { ResolvedHttpAdapterOptions as ResolvedOptions } from '@parapet/core/integration';

export const MIDDLEWARE: HttpAdapterCaller = {
  packageName: '@parapet/hono',
  signature: 'parapet(options)',
  example: "parapet() or parapet({ metricsPath: '/metrics' })",
  skip: '(c) => boolean',
  traceId: '(c) => string | undefined',
};

export const INSTRUMENT: HttpAdapterCaller = {
  packageName: '@parapet/hono',
  signature: 'instrument(app, options)',
  example: "instrument(app) or instrument(app, { metricsPath: '/metrics' })",
  skip: '(request, route) => boolean',
  traceId: '(request) => string | undefined',
};

/** Validate options once, at setup (shared rules in core). */
export function resolveOptions<Skip, TraceId>(options: unknown, caller: HttpAdapterCaller = MIDDLEWARE): ResolvedHttpAdapterOptions<Skip, TraceId> {
  return resolveHttpAdapterOptions<Skip, TraceId>(options, caller);
}
