import { resolveHttpAdapterOptions, type HttpAdapterCaller, type ResolvedHttpAdapterOptions } from '@parapet/core/integration';
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

export type ResolvedOptions = ResolvedHttpAdapterOptions<(req: Request) => boolean, (req: Request) => string | undefined>;

const CALLER: HttpAdapterCaller = {
  packageName: '@parapet/express',
  signature: 'parapet(options)',
  example: "parapet() or parapet({ metricsPath: '/metrics' })",
  skip: '(req) => boolean',
  traceId: '(req) => string | undefined',
};

/** Validate options once, at setup (shared rules in core). */
export function resolveOptions(options: unknown): ResolvedOptions {
  return resolveHttpAdapterOptions(options, CALLER);
}
