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

/** The path of a request URL without parsing it (`/metrics` of `http://h/metrics?x`). */
export function pathOfUrl(url: string): string {
  const scheme = url.indexOf('://');
  const start = url.indexOf('/', scheme === -1 ? 0 : scheme + 3);
  if (start === -1) return '/';
  let end = url.indexOf('?', start);
  const hash = url.indexOf('#', start);
  if (hash !== -1 && (end === -1 || hash < end)) end = hash;
  return end === -1 ? url.slice(start) : url.slice(start, end);
}
