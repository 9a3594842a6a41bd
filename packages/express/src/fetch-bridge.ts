import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import type { FetchHandler } from '@parapet/core/integration';
import type { Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from 'express';

/**
 * Mount a fetch-standard handler (`(Request) => Promise<Response>`) on Express. Parapet writes
 * its HTTP behaviour (metrics, webhooks, operator API, deploy markers) once in that form; this
 * is the one conversion Express needs. Failures answer 500 and never reach Express's error path.
 */
export function toExpressHandler(handler: FetchHandler): RequestHandler {
  if (typeof handler !== 'function') {
    throw new TypeError(`@parapet/express: toExpressHandler(handler) expects a function (request: Request) => Promise<Response>, got ${typeof handler}.`);
  }
  return (req, res) => {
    void serve(handler, req, res);
  };
}

async function serve(handler: FetchHandler, req: ExpressRequest, res: ExpressResponse): Promise<void> {
  const abort = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  let response: Response;
  try {
    response = await handler(toRequest(req, abort.signal));
  } catch {
    return fail(res);
  }
  try {
    await writeResponse(res, response, req.method === 'HEAD');
  } catch {
    fail(res);
  }
}

function fail(res: ExpressResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = 500;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.end('Internal error; see the application log.\n');
}

const BODYLESS = new Set(['GET', 'HEAD']);

/** Node request → fetch Request. A missing or malformed Host falls back to localhost. */
export function toRequest(req: ExpressRequest, signal?: AbortSignal): Request {
  const protocol = req.protocol === 'https' ? 'https' : 'http';
  const path = req.originalUrl ?? req.url ?? '/';
  let url: URL;
  try {
    url = new URL(path, `${protocol}://${req.headers.host ?? 'localhost'}`);
  } catch {
    url = new URL(path.startsWith('/') ? path : '/', `${protocol}://localhost`);
  }
  const headers = new Headers();
  const raw = req.rawHeaders ?? [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i]!, raw[i + 1]!);
    } catch {
      // A header the fetch API refuses is dropped, not fatal.
    }
  }
  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers, ...(signal && { signal }) };
  if (!BODYLESS.has(method)) {
    const parsed = (req as { body?: unknown }).body;
    if (!req.readableEnded && !req.readableDidRead) {
      init.body = Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>;
      init.duplex = 'half';
    } else if (typeof parsed === 'string' || parsed instanceof Uint8Array) {
      init.body = parsed as string | Uint8Array<ArrayBuffer>;
    } else if (parsed !== undefined) {
      // A body parser already consumed the stream; hand the parsed value on as JSON.
      init.body = JSON.stringify(parsed);
    }
  }
  return new Request(url, init);
}

/** fetch Response → Node response, streaming the body with backpressure. */
export async function writeResponse(res: ExpressResponse, response: Response, head: boolean): Promise<void> {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  const cookies = response.headers.getSetCookie();
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  if (head || response.body === null) {
    await response.body?.cancel();
    res.end();
    return;
  }
  await pipeline(Readable.fromWeb(response.body as unknown as NodeWebStream<Uint8Array>), res);
}
