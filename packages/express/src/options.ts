import { resolveHttpAdapterOptions, type HttpAdapterOptions, type ResolvedHttpAdapterOptions } from '@parapet/core/integration';
import type { Request } from 'express';

/**
 * Options of `parapet(options)` and `instrument(app, options)`: core's `HttpAdapterOptions` with
 * the Express request. Callbacks get a full Express request (`req.get()`, `req.path`) in both modes.
 */
export type ParapetExpressOptions = HttpAdapterOptions<Request>;

export type ResolvedOptions = ResolvedHttpAdapterOptions<(req: Request) => boolean, (req: Request) => string | undefined>;

/** Validate options once, at setup (shared rules in core; unknown keys are errors). */
export function resolveOptions(options: unknown, where: string): ResolvedOptions {
  return resolveHttpAdapterOptions(options, `@parapet/express ${where}`);
}
