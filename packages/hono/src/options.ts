import { resolveHttpAdapterOptions, type HttpAdapterOptions, type ResolvedHttpAdapterOptions } from '@parapet/core/integration';
import type { Context } from 'hono';

/** Options of the `parapet()` middleware: core's `HttpAdapterOptions` with Hono's `Context`. */
export type ParapetHonoOptions = HttpAdapterOptions<Context>;

/**
 * Options of `instrument(app)`. The same as the middleware's, except that the callbacks get the
 * fetch `Request` (there is no Hono `Context` outside the app); `skip` also gets the route template.
 */
export type ParapetInstrumentOptions = HttpAdapterOptions<Request, [route: string | undefined]>;

export type { ResolvedHttpAdapterOptions as ResolvedOptions } from '@parapet/core/integration';

/** Validate options once, at setup (shared rules in core; unknown keys are errors). */
export function resolveOptions<Skip, TraceId>(options: unknown, where: string): ResolvedHttpAdapterOptions<Skip, TraceId> {
  return resolveHttpAdapterOptions<Skip, TraceId>(options, `@parapet/hono ${where}`);
}

/**
 * Whether the path of an absolute request URL is exactly `path` (`http://h/metrics?x` is
 * `/metrics`), without parsing or allocating: this runs on every request.
 */
export function urlHasPath(url: string, path: string): boolean {
  const scheme = url.indexOf('://');
  const start = url.indexOf('/', scheme === -1 ? 0 : scheme + 3);
  if (start === -1) return path === '/';
  if (!url.startsWith(path, start)) return false;
  const end = start + path.length;
  if (end === url.length) return true;
  const next = url.charCodeAt(end);
  return next === 63 /* ? */ || next === 35 /* # */;
}
