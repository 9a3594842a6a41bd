import client, { type Registry } from 'prom-client';
import * as z from 'zod';
import { errorResponse, ParapetError } from '../errors/parapet-error.js';
import { parseOptions } from '../internal/options.js';
import { reportToAttached } from '../metrics/runtime.js';
import { configureHttpDurationBuckets, HTTP_BUCKETS_MAX } from './duration-buckets.js';
import { createMetricsHandler, type FetchHandler, type MetricsHandlerOptions } from './metrics-handler.js';
import { HTTP_SKIP_COMPONENT } from '../internal/components.js';

/**
 * Options every framework adapter takes, written once. Each adapter aliases it with its own
 * request type: `ParapetExpressOptions = HttpAdapterOptions<express.Request>`; Hono's middleware
 * uses its `Context`, and its `instrument()` the fetch `Request` plus the route (`Extra`).
 */
export interface HttpAdapterOptions<Req, Extra extends unknown[] = []> {
  /**
   * Path of the metrics endpoint. Requests to it are never counted, whatever their method, and
   * methods other than GET and HEAD are answered 405 with `Allow: GET, HEAD`. Default `'/metrics'`
   * (or `metrics.path`). `false` counts every route and answers nothing itself.
   */
  metricsPath?: string | false;
  /**
   * Leave a request out of the metrics (health checks, ...). Called once, after the response. A
   * throwing `skip` is counted in `parapet_internal_errors_total{component="core.http_skip"}`, logged,
   * and the request is recorded.
   */
  skip?: (req: Req, ...extra: Extra) => boolean;
  /**
   * Trace id attached as an exemplar. Default: the active OpenTelemetry span's trace id when
   * `@opentelemetry/api` is installed. `false` turns exemplars off. A throwing reader is counted
   * (`component="core.http_trace_id"`) and logged; the request is recorded without an exemplar.
   */
  traceId?: false | ((req: Req) => string | undefined);
  /**
   * Serve the metrics endpoint from the adapter itself, at `metrics.path` (default `'/metrics'`),
   * with the metrics handler's options (`tokens`, `public`, `registry`, ...). GET and HEAD get the
   * exposition, other methods 405. Default: not mounted (mount `metricsHandler()` yourself).
   */
  metrics?: HttpAdapterMetricsOptions;
  /**
   * Also expose prom-client's process metrics (CPU, memory, event loop lag, GC, handles) on the
   * metrics registry: `true`, or options for `collectDefaultMetrics` (`prefix`,
   * `eventLoopMonitoringPrecision`, `gcDurationBuckets`). A fixed set of series; registered once per
   * registry. Default `false`.
   */
  defaultMetrics?: boolean | HttpAdapterDefaultMetricsOptions;
  /**
   * Bucket bounds (seconds) of `parapet_http_server_request_duration_seconds`, replacing the
   * catalog's. 1–20 finite positive numbers in strictly ascending order. It is one histogram per
   * process: set it before the first request is recorded, and the same way in every adapter.
   */
  buckets?: readonly number[];
}

export type HttpAdapterMetricsOptions = MetricsHandlerOptions & {
  /** Path to serve the endpoint at. Default `'/metrics'`. */
  path?: string;
};

export interface HttpAdapterDefaultMetricsOptions {
  /** Prefix for the metric names (`myapp_`). Default none. */
  prefix?: string;
  /** Event loop lag sampling precision in milliseconds. Default prom-client's (10). */
  eventLoopMonitoringPrecision?: number;
  /** GC duration bucket bounds in seconds (1–20, ascending). Default prom-client's. */
  gcDurationBuckets?: readonly number[];
}

/** Options after validation, with defaults filled in. */
export interface ResolvedHttpAdapterOptions<Skip, TraceId> {
  metricsPath: string | false;
  skip: Skip | undefined;
  traceId: false | TraceId | undefined;
  /** The metrics endpoint the adapter serves at `metricsPath`, when `metrics` was given. */
  metricsHandler: FetchHandler | undefined;
}

/**
 * @deprecated Messages now name the call through `resolveHttpAdapterOptions(options, where)`;
 * kept so existing imports compile. Removed in the next minor.
 */
export interface HttpAdapterCaller {
  packageName: string;
  signature: string;
  example: string;
  skip: string;
  traceId: string;
}

const routePath = z.string().refine((p) => p.startsWith('/') && !/[\s?#]/.test(p), { message: 'must be a route path starting with "/" (e.g. "/metrics"), without spaces, "?" or "#"' });

const ascending = (max: number) =>
  z
    .array(z.number().positive().finite())
    .min(1, { error: 'give at least one bucket bound' })
    .max(max, { error: `at most ${max} bucket bounds (each is one more series per label set)` })
    .refine((b) => b.every((v, i) => i === 0 || v > b[i - 1]!), { message: 'bucket bounds must be in strictly ascending order, without duplicates' });

const schema = z.strictObject({
  metricsPath: z.union([routePath, z.literal(false)]).optional(),
  skip: z.function().optional(),
  traceId: z.union([z.function(), z.literal(false)], { error: 'must be a function (req) => string | undefined, or false to turn exemplars off' }).optional(),
  // Keys are checked here (unknown ones are errors); values by createMetricsHandler(). Keep this
  // list in step with MetricsHandlerOptions.
  metrics: z
    .strictObject({
      path: routePath.optional(),
      registry: z.unknown().optional(),
      tokens: z.unknown().optional(),
      public: z.unknown().optional(),
      logger: z.unknown().optional(),
      environment: z.unknown().optional(),
    })
    .optional(),
  defaultMetrics: z
    .union([
      z.boolean(),
      z.strictObject({
        prefix: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, { message: 'must be a valid metric name prefix ([a-zA-Z_:][a-zA-Z0-9_:]*)' }).optional(),
        eventLoopMonitoringPrecision: z.number().int().min(1).max(1000).optional(),
        gcDurationBuckets: ascending(20).optional(),
      }),
    ])
    .optional(),
  buckets: ascending(HTTP_BUCKETS_MAX).optional(),
});

/** Registries that already collect prom-client's default metrics (collecting twice would throw). */
const withDefaults = new WeakSet<Registry>();

/**
 * Validate an adapter's options once, at setup (`parseOptions`: unknown keys and wrong types are
 * errors naming the option, e.g. `parapet(): unknown option "metricPath" (did you mean
 * "metricsPath"?)`), and apply the process-wide parts: duration buckets, default metrics, and the
 * metrics endpoint the adapter should serve.
 *
 * @param where the call as the user wrote it: `@parapet/express parapet()`.
 */
export function resolveHttpAdapterOptions<Skip, TraceId>(options: unknown, where: string | HttpAdapterCaller): ResolvedHttpAdapterOptions<Skip, TraceId> {
  const call = typeof where === 'string' ? where : `${where.packageName} ${where.signature}`;
  const o = parseOptions(schema, options, call);
  const { path, ...handlerOptions } = (o.metrics ?? {}) as HttpAdapterMetricsOptions;
  if (o.metrics !== undefined && o.metricsPath !== undefined && o.metricsPath !== (path ?? '/metrics')) {
    throw new ParapetError(
      'INVALID_OPTIONS',
      `${call}: metricsPath (${JSON.stringify(o.metricsPath)}) and metrics.path (${JSON.stringify(path ?? '/metrics')}) disagree. ` +
        'Give the path once, as metrics.path.',
      { details: { where: call } },
    );
  }
  const metricsPath = o.metricsPath ?? (o.metrics !== undefined ? (path ?? '/metrics') : '/metrics');
  if (o.buckets !== undefined) configureHttpDurationBuckets(o.buckets, call);
  const metricsHandler = o.metrics !== undefined ? createMetricsHandler(handlerOptions) : undefined;
  if (o.defaultMetrics !== undefined && o.defaultMetrics !== false) {
    const registry = handlerOptions.registry ?? client.register;
    if (!withDefaults.has(registry)) {
      const d = o.defaultMetrics === true ? {} : o.defaultMetrics;
      client.collectDefaultMetrics({
        register: registry,
        ...(d.prefix !== undefined && { prefix: d.prefix }),
        ...(d.eventLoopMonitoringPrecision !== undefined && { eventLoopMonitoringPrecision: d.eventLoopMonitoringPrecision }),
        ...(d.gcDurationBuckets !== undefined && { gcDurationBuckets: [...d.gcDurationBuckets] }),
      });
      withDefaults.add(registry);
    }
  }
  return { metricsPath, skip: o.skip as Skip | undefined, traceId: o.traceId as false | TraceId | undefined, metricsHandler };
}

/**
 * Call a user's `skip` callback. A throw is counted in `parapet_internal_errors_total` under
 * `component="core.http_skip"` and logged by every attached Parapet, and the request is recorded
 * (returns false): losing every sample to a broken filter would hide the traffic.
 */
export function callSkip<A extends unknown[]>(skip: ((...args: A) => boolean) | undefined, ...args: A): boolean {
  if (skip === undefined) return false;
  try {
    return skip(...args) === true;
  } catch (error) {
    reportToAttached(HTTP_SKIP_COMPONENT, error);
    return false;
  }
}

/** Whether a method is one the metrics endpoint serves. */
export const isMetricsMethod = (method: string): boolean => method === 'GET' || method === 'HEAD';

/** The answer to any other method on the metrics path. */
export function metricsMethodNotAllowed(): Response {
  return errorResponse(new ParapetError('METHOD_NOT_ALLOWED', 'The metrics endpoint answers GET and HEAD only.', { details: { allow: ['GET', 'HEAD'] } }), { allow: 'GET, HEAD' });
}
