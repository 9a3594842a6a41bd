import type { Request } from 'express';

export interface ParapetExpressOptions {
  /**
   * Route template of the metrics endpoint; requests to it are never counted. Default
   * `'/metrics'`. `false` counts every route. (Handlers from `metricsHandler()` are never
   * counted wherever they are mounted.)
   */
  metricsPath?: string | false;
  /** Leave a request out of the metrics (health checks, ...). Called once, after the response. */
  skip?: (req: Request) => boolean;
  /**
   * Trace id attached as an exemplar. Default: the active OpenTelemetry span's trace id when
   * `@opentelemetry/api` is installed. `false` turns exemplars off.
   */
  traceId?: false | ((req: Request) => string | undefined);
}

export interface ResolvedOptions {
  metricsPath: string | false;
  skip: ((req: Request) => boolean) | undefined;
  traceId: false | ((req: Request) => string | undefined) | undefined;
}

const KNOWN = ['metricsPath', 'skip', 'traceId'] as const;

const fail = (message: string): never => {
  throw new TypeError(`@parapet/express: ${message}`);
};

/** Validate options once, at setup, with messages that say what to pass instead. */
export function resolveOptions(options: unknown): ResolvedOptions {
  if (options === undefined) return { metricsPath: '/metrics', skip: undefined, traceId: undefined };
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    return fail(`parapet(options) expects an options object, got ${options === null ? 'null' : typeof options}. Call parapet() or parapet({ metricsPath: '/metrics' }).`);
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!(KNOWN as readonly string[]).includes(key)) fail(`unknown option "${key}". Known options: ${KNOWN.join(', ')}.`);
  }
  const { metricsPath = '/metrics', skip, traceId } = o;
  if (metricsPath !== false && (typeof metricsPath !== 'string' || !metricsPath.startsWith('/'))) {
    fail(`metricsPath must be a route path starting with "/" (e.g. "/metrics") or false, got ${JSON.stringify(metricsPath)}.`);
  }
  if (skip !== undefined && typeof skip !== 'function') fail(`skip must be a function (req) => boolean, got ${typeof skip}.`);
  if (traceId !== undefined && traceId !== false && typeof traceId !== 'function') {
    fail(`traceId must be a function (req) => string | undefined, or false to disable exemplars; got ${typeof traceId}.`);
  }
  return {
    metricsPath: metricsPath as string | false,
    skip: skip as ResolvedOptions['skip'],
    traceId: traceId as ResolvedOptions['traceId'],
  };
}
