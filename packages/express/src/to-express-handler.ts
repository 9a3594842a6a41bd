import { toNodeHandler, type FetchRequestHandler, type NodeHandlerOptions } from '@parapet/core/integration';
import type { RequestHandler } from 'express';

/**
 * Mount a fetch-standard handler (`(Request) => Promise<Response>`) on Express: core's Node
 * bridge (`toNodeHandler`) as an Express route handler. Bodies are capped (`maxBodyBytes`,
 * default 1 MiB, 413 past it) and passed on as raw bytes — mount it before `express.json()`, or
 * keep the raw bytes (`express.json({ verify: (req, _res, buf) => { req.rawBody = buf } })`); a
 * body parsed without them is refused rather than re-serialized. A failing handler answers 500
 * with the shared JSON error body and never reaches Express's error path.
 */
export function toExpressHandler(handler: FetchRequestHandler, options?: NodeHandlerOptions): RequestHandler {
  if (typeof handler !== 'function') {
    throw new TypeError(`@parapet/express: toExpressHandler(handler) expects a function (request: Request) => Promise<Response>, got ${handler === null ? 'null' : typeof handler}.`);
  }
  const serve = toNodeHandler(handler, options);
  return (req, res) => {
    void serve(req, res);
  };
}
