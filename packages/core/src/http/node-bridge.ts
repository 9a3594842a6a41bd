import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import * as z from 'zod';
import { errorResponse, isParapetError, ParapetError } from '../errors/parapet-error.js';
import { parseOptions } from '../internal/options.js';

/**
 * The one Node ↔ fetch layer. Parapet writes every HTTP surface (metrics, webhooks, operator API,
 * deploy markers) once as a fetch handler, `(request: Request) => Promise<Response>`; this module
 * serves such a handler from Node's `http` server, Express, or anything that hands out an
 * `IncomingMessage` and a `ServerResponse`.
 *
 * - Bodies are capped (`maxBodyBytes`, default 1 MiB): past the cap the answer is 413 with the
 *   shared JSON error body, whether `Content-Length` announced it or the stream grew past it.
 * - Raw bytes are preserved, so signed webhooks can verify an HMAC over the exact body: the
 *   request stream is passed through untouched, or — when a body parser already read it — the
 *   raw bytes it kept (`req.rawBody`, or a `Buffer` from `express.raw()`). A body that was parsed
 *   (`express.json()`) without keeping raw bytes is never re-serialized: the request fails with
 *   a message saying how to fix the mount.
 * - Responses are streamed back with backpressure; HEAD sends no body; several `Set-Cookie`
 *   headers stay several headers.
 */

/** A fetch-standard handler. */
export type FetchRequestHandler = (request: Request) => Response | Promise<Response>;

/** Default body cap: 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Largest accepted `maxBodyBytes`: 1 GiB (a cap, not a buffer size: bodies are streamed). */
const MAX_BODY_BYTES_LIMIT = 1024 * 1024 * 1024;

export interface IncomingMessageToRequestOptions {
  /** Largest body accepted, in bytes; reading more fails with `ParapetError('PAYLOAD_TOO_LARGE')`. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Aborts the request (e.g. when the client goes away). */
  signal?: AbortSignal;
}

export interface NodeHandlerOptions {
  /** Largest request body accepted, in bytes; past it the answer is 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /**
   * Called with an error the handler threw or a response that failed while being written (the
   * client gets a 500, or the connection is closed when headers were already sent). Default: none.
   * Never let it throw; a throw is ignored.
   */
  onError?: (error: unknown) => void;
}

/** The Node request shapes the bridge reads: Node's own, plus what Express and body parsers add. */
export type NodeRequestLike = IncomingMessage & {
  /** Express: the URL before mounts stripped their prefix. */
  originalUrl?: string;
  /** Express: `'https'` behind a trusted proxy or on TLS. */
  protocol?: string;
  /** Raw body bytes a body parser kept (`express.json({ verify })`, NestJS `rawBody: true`, ...). */
  rawBody?: unknown;
  /** A parsed body (`express.json()`) or the raw bytes (`express.raw()`). */
  body?: unknown;
};

const maxBodyBytesSchema = z.number().int().positive().max(MAX_BODY_BYTES_LIMIT).optional();
const requestOptionsSchema = z.strictObject({ maxBodyBytes: maxBodyBytesSchema, signal: z.instanceof(AbortSignal).optional() });
const handlerOptionsSchema = z.strictObject({ maxBodyBytes: maxBodyBytesSchema, onError: z.function().optional() });

const BODYLESS = new Set(['GET', 'HEAD']);

/** Error raised when the body grows past the cap; `cause` of the stream error the handler sees. */
const tooLarge = (limit: number) =>
  new ParapetError('PAYLOAD_TOO_LARGE', `The request body is larger than ${limit} bytes, the limit of this endpoint.`, {
    details: { maxBodyBytes: limit },
  });

const consumedBody = () =>
  new ParapetError(
    'INTERNAL',
    'The request body was already read by a body parser (express.json() or similar) and its raw bytes were not kept, so it cannot be ' +
      'passed on unchanged. Mount this handler before express.json(), or keep the raw bytes: ' +
      'express.json({ verify: (req, _res, buf) => { req.rawBody = buf } }).',
  );

/**
 * Node `IncomingMessage` → fetch `Request`. The URL uses `originalUrl` when Express set it and
 * falls back to `localhost` for a missing or malformed `Host`; HTTP/2 pseudo-headers and headers
 * the fetch API refuses are dropped. The body is streamed (capped at `maxBodyBytes`), or taken
 * from the raw bytes a body parser kept; a body parsed without raw bytes throws
 * `ParapetError('INTERNAL')` explaining the mount order.
 */
export function incomingMessageToRequest(req: NodeRequestLike, options?: IncomingMessageToRequestOptions): Request {
  const { maxBodyBytes = DEFAULT_MAX_BODY_BYTES, signal } = parseOptions(requestOptionsSchema, options, 'incomingMessageToRequest()');
  return toRequest(req, maxBodyBytes, signal, undefined);
}

function toRequest(req: NodeRequestLike, maxBodyBytes: number, signal: AbortSignal | undefined, onTooLarge: (() => void) | undefined): Request {
  const encrypted = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  const protocol = req.protocol === 'https' || encrypted ? 'https' : 'http';
  const path = req.originalUrl ?? req.url ?? '/';
  const host = req.headers[':authority'] ?? req.headers.host ?? 'localhost';
  let url: URL;
  try {
    url = new URL(path, `${protocol}://${String(host)}`);
  } catch {
    url = new URL(path.startsWith('/') && !path.startsWith('//') ? path : '/', `${protocol}://localhost`);
  }
  const headers = new Headers();
  const raw = req.rawHeaders ?? [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.charCodeAt(0) === 58 /* ':' */) continue; // HTTP/2 pseudo-header
    try {
      headers.append(name, raw[i + 1]!);
    } catch {
      // A header the fetch API refuses is dropped, not fatal.
    }
  }
  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers, ...(signal && { signal }) };
  if (!BODYLESS.has(method)) {
    const kept = rawBytes(req.rawBody) ?? rawBytes(req.body);
    if (kept !== undefined) {
      if (kept.byteLength > maxBodyBytes) {
        onTooLarge?.();
        throw tooLarge(maxBodyBytes);
      }
      init.body = kept;
    } else if (!req.readableEnded && !req.readableDidRead && !req.destroyed) {
      init.body = cappedStream(req, maxBodyBytes, onTooLarge);
      init.duplex = 'half';
    } else if (req.body !== undefined && req.body !== null && !isEmptyObject(req.body)) {
      throw consumedBody();
    } else if (req.readableDidRead && !isEmptyBody(req)) {
      throw consumedBody();
    }
  }
  return new Request(url, init);
}

/** Exact bytes, when `value` holds them: a Buffer/Uint8Array, or a string (already decoded text). */
function rawBytes(value: unknown): Uint8Array<ArrayBuffer> | undefined {
  if (value instanceof Uint8Array) return new Uint8Array(value.buffer as ArrayBuffer, value.byteOffset, value.byteLength);
  if (typeof value === 'string') return new TextEncoder().encode(value);
  return undefined;
}

/** `express.json()` sets `{}` when there was no body to parse (wrong content type, empty body). */
function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype && Object.keys(value).length === 0;
}

function isEmptyBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return length === '0' || (length === undefined && req.headers['transfer-encoding'] === undefined);
}

/** The request stream as a web stream that errors with PAYLOAD_TOO_LARGE past `limit` bytes. */
function cappedStream(req: IncomingMessage, limit: number, onTooLarge: (() => void) | undefined): ReadableStream<Uint8Array> {
  let seen = 0;
  const source = Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>;
  return source.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) {
          onTooLarge?.();
          controller.error(tooLarge(limit));
          req.resume(); // drain what is left so the connection can answer 413
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
}

/**
 * fetch `Response` → Node `ServerResponse`: status, headers (several `Set-Cookie` headers stay
 * several), then the body streamed with backpressure. `head: true` (or a HEAD request) sends no
 * body. Rejects when the body stream fails; the caller decides how to end the response.
 */
export async function writeResponse(res: ServerResponse, response: Response, options: { head?: boolean } = {}): Promise<void> {
  const head = options.head ?? res.req?.method === 'HEAD';
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  const cookies = response.headers.getSetCookie();
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  if (head || response.body === null) {
    await response.body?.cancel().catch(() => {});
    res.end();
    return;
  }
  await pipeline(Readable.fromWeb(response.body as unknown as NodeWebStream<Uint8Array>), res);
}

/**
 * Serve a fetch handler from Node: `http.createServer(toNodeHandler(handler))`, or as an Express
 * route (`toExpressHandler` in `@parapet/express` is this). Past `maxBodyBytes` the answer is 413;
 * a handler that throws gets a 500 with the shared JSON error body (its message stays in the log,
 * via `onError`); a body that fails after the headers were sent closes the connection.
 *
 * @remark The returned function's promise never rejects.
 */
export function toNodeHandler(handler: FetchRequestHandler, options?: NodeHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  if (typeof handler !== 'function') {
    throw new ParapetError('INVALID_OPTIONS', `toNodeHandler(handler) expects a function (request: Request) => Promise<Response>, got ${handler === null ? 'null' : typeof handler}.`);
  }
  const { maxBodyBytes = DEFAULT_MAX_BODY_BYTES, onError } = parseOptions(handlerOptionsSchema, options, 'toNodeHandler()');
  const report = (error: unknown) => {
    try {
      (onError as ((e: unknown) => void) | undefined)?.(error);
    } catch {
      // The reporter must not become the failure.
    }
  };
  return async (req, res) => {
    const nodeReq = req as NodeRequestLike;
    const declared = Number(req.headers['content-length']);
    if (!BODYLESS.has(req.method ?? 'GET') && Number.isFinite(declared) && declared > maxBodyBytes) {
      req.resume();
      return send(res, errorResponse(tooLarge(maxBodyBytes), { connection: 'close' }), report);
    }
    const abort = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    let overflowed = false;
    let response: Response;
    try {
      const request = toRequest(nodeReq, maxBodyBytes, abort.signal, () => (overflowed = true));
      response = await handler(request);
      if (!(response instanceof Response)) throw new TypeError(`the handler resolved to ${typeof response}, not a Response`);
    } catch (error) {
      if (overflowed || (isParapetError(error) && error.code === 'PAYLOAD_TOO_LARGE')) return send(res, errorResponse(tooLarge(maxBodyBytes), { connection: 'close' }), report);
      if (!isParapetError(error) || error.status >= 500) report(error);
      return send(res, errorResponse(error), report);
    }
    if (overflowed) {
      await response.body?.cancel().catch(() => {});
      return send(res, errorResponse(tooLarge(maxBodyBytes), { connection: 'close' }), report);
    }
    return send(res, response, report);
  };
}

async function send(res: ServerResponse, response: Response, report: (error: unknown) => void): Promise<void> {
  if (res.destroyed) {
    // The connection closed before the answer was ready (the client left, or Node rejected the
    // request's framing and answered itself). Cancel the body with what the client got, so
    // whoever wrapped it (a framework adapter timing the response) records that.
    await response.body?.cancel(nodeResponseOutcome(res as NodeResponseLike)).catch(() => {});
    return;
  }
  try {
    await writeResponse(res, response);
  } catch (error) {
    if (res.headersSent) {
      // Too late for a status: close the connection so the client sees a failed response.
      if (!res.destroyed) {
        report(error);
        res.destroy(error instanceof Error ? error : new Error(String(error)));
      }
      return;
    }
    report(error);
    try {
      const fallback = errorResponse(error);
      res.statusCode = fallback.status;
      fallback.headers.forEach((value, name) => res.setHeader(name, value));
      res.end(await fallback.text());
    } catch {
      res.destroy();
    }
  }
}

/** The parts of a Node `ServerResponse` (HTTP/1) that say how it ended. */
export interface NodeResponseLike {
  readonly statusCode: number;
  readonly writableFinished: boolean;
  readonly errored?: unknown;
  readonly socket?: { readonly errored?: unknown } | null;
  readonly req?: { readonly socket?: { readonly errored?: unknown } | null } | undefined;
}

/**
 * How a response ended, as the HTTP metrics record it. `toNodeHandler` also passes one as the
 * `reason` when it cancels a response body it could not send (see `isResponseOutcome`).
 */
export interface ResponseOutcome {
  /** The status the client got (or, for an abort, the one that was set). */
  statusCode: number;
  /** The client went away before the response finished: recorded as `aborted`/499. */
  aborted: boolean;
  /** A server-side failure: recorded as 5xx whatever status was set. */
  error: unknown;
}

/** Socket errors that mean the client went away. */
const CLIENT_GONE = new Set(['HPE_INVALID_EOF_STATE', 'ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** The status Node answers itself when it rejects a request's framing (lib/_http_server.js). */
function parserRejectionStatus(code: string): number {
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return 413;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

/**
 * What the client got, read when a Node response emits `close` (`serverError`: an error the
 * framework saw for this request). In order:
 *
 * 1. Node rejected the request's framing after the headers (bad chunked encoding, ...): Node
 *    answered 400 itself, so that is the status — not an abort, and not the app's.
 * 2. The client went away first (its socket ended mid-request or was reset): aborted, 499.
 * 3. The response failed after it started — destroyed with an error (`pipeline()` source error,
 *    a streamed body that errored) or closed after an error reached the framework (`next(err)`
 *    after `res.write()`): a server failure, 500, never an abort.
 * 4. Closed before it finished, with no error: the client went away (aborted).
 */
export function nodeResponseOutcome(res: NodeResponseLike, serverError?: unknown): ResponseOutcome {
  const finished = res.writableFinished;
  const socketError = (res.socket?.errored ?? res.req?.socket?.errored) as { code?: unknown } | null | undefined;
  const code = typeof socketError?.code === 'string' ? socketError.code : undefined;
  if (code !== undefined && (code.startsWith('HPE_') || code === 'ERR_HTTP_REQUEST_TIMEOUT') && !CLIENT_GONE.has(code)) {
    return { statusCode: parserRejectionStatus(code), aborted: false, error: undefined };
  }
  if (code !== undefined && CLIENT_GONE.has(code) && !res.errored) {
    return { statusCode: res.statusCode, aborted: true, error: undefined };
  }
  const failure = res.errored ?? (finished ? undefined : serverError);
  if (failure !== undefined && failure !== null) {
    return { statusCode: res.statusCode >= 500 ? res.statusCode : 500, aborted: false, error: serverError ?? failure };
  }
  return { statusCode: res.statusCode, aborted: !finished, error: serverError };
}

/** Whether a body-cancel `reason` is a `ResponseOutcome` from `toNodeHandler`. */
export function isResponseOutcome(value: unknown): value is ResponseOutcome {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Partial<ResponseOutcome>;
  return typeof v.statusCode === 'number' && typeof v.aborted === 'boolean' && 'error' in v;
}
