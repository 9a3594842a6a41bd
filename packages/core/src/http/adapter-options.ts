/**
 * Options every HTTP adapter takes (`metricsPath`, `skip`, `traceId`), validated once at setup
 * with messages that name the adapter's own call and say what to pass instead.
 */
export interface HttpAdapterCaller {
  /** `@parapet/express` */
  packageName: string;
  /** `parapet(options)` */
  signature: string;
  /** `parapet()` or `parapet({ metricsPath: '/metrics' })` */
  example: string;
  /** The callbacks' shapes, for messages: `(req) => boolean`, `(req) => string | undefined`. */
  skip: string;
  traceId: string;
}

export interface ResolvedHttpAdapterOptions<Skip, TraceId> {
  metricsPath: string | false;
  skip: Skip | undefined;
  traceId: false | TraceId | undefined;
}

const KNOWN = ['metricsPath', 'skip', 'traceId'] as const;

export function resolveHttpAdapterOptions<Skip, TraceId>(options: unknown, caller: HttpAdapterCaller): ResolvedHttpAdapterOptions<Skip, TraceId> {
  const fail = (message: string): never => {
    throw new TypeError(`${caller.packageName}: ${message}`);
  };
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
  return { metricsPath: metricsPath as string | false, skip: skip as Skip | undefined, traceId: traceId as false | TraceId | undefined };
}
