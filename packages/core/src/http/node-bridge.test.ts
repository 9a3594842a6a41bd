import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { incomingMessageToRequest, toNodeHandler, type FetchRequestHandler, type NodeHandlerOptions } from './node-bridge.js';

async function serving<T>(listener: (req: IncomingMessage, res: ServerResponse) => void, fn: (url: string) => Promise<T>): Promise<T> {
  const server: Server = await new Promise((resolve) => {
    const s = createServer(listener).listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    return await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

const serve = <T>(handler: FetchRequestHandler, fn: (url: string) => Promise<T>, options?: NodeHandlerOptions) => serving(toNodeHandler(handler, options), fn);

describe('toNodeHandler', () => {
  it('passes the exact body bytes through (binary included) and writes status, headers, several cookies and a streamed body back', async () => {
    const bytes = new Uint8Array([0, 255, 254, 10, 13, 0x80, 0x7f]);
    await serve(
      async (request) => {
        const received = new Uint8Array(await request.arrayBuffer());
        const headers = new Headers({ 'x-method': request.method, 'x-url': request.url });
        headers.append('set-cookie', 'a=1');
        headers.append('set-cookie', 'b=2');
        let i = 0;
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (i++ < 2) controller.enqueue(received);
            else controller.close();
          },
        });
        return new Response(body, { status: 201, headers });
      },
      async (url) => {
        const res = await fetch(`${url}/path?q=1`, { method: 'PUT', body: bytes });
        expect(res.status).toBe(201);
        expect(res.headers.get('x-method')).toBe('PUT');
        expect(new URL(res.headers.get('x-url')!).pathname + new URL(res.headers.get('x-url')!).search).toBe('/path?q=1');
        expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
        expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array([...bytes, ...bytes]));
        const head = await fetch(`${url}/path`, { method: 'HEAD' });
        expect(head.status).toBe(201);
        expect(await head.text()).toBe('');
      },
    );
  });

  it('answers 413 with the shared JSON error body past maxBodyBytes (announced or streamed), without calling the handler for an announced one', async () => {
    let calls = 0;
    await serve(
      async (request) => {
        calls++;
        return new Response(await request.text());
      },
      async (url) => {
        const announced = await fetch(url, { method: 'POST', body: 'x'.repeat(11) });
        expect(announced.status).toBe(413);
        expect(await announced.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than 10 bytes, the limit of this endpoint.', details: { maxBodyBytes: 10 } } });
        expect(calls).toBe(0);
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('123456'));
            controller.enqueue(new TextEncoder().encode('789012'));
            controller.close();
          },
        });
        const streamed = await fetch(url, { method: 'POST', body, duplex: 'half' } as RequestInit);
        expect(streamed.status).toBe(413);
        expect(calls).toBe(1);
        expect(await (await fetch(url, { method: 'POST', body: '0123456789' })).text()).toBe('0123456789');
      },
      { maxBodyBytes: 10 },
    );
  });

  it('answers 500 with the JSON error body when the handler throws, reports it, and closes the connection when the body fails after the headers', async () => {
    const errors: unknown[] = [];
    await serve(
      async (request) => {
        if (request.url.endsWith('/throw')) throw new Error('secret detail');
        let sent = false;
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent) return controller.error(new Error('body failed'));
            sent = true;
            controller.enqueue(new TextEncoder().encode('partial'));
          },
        });
        return new Response(body);
      },
      async (url) => {
        const thrown = await fetch(`${url}/throw`);
        expect(thrown.status).toBe(500);
        const text = await thrown.text();
        expect(JSON.parse(text)).toMatchObject({ error: { code: 'INTERNAL' } });
        expect(text).not.toContain('secret detail');
        // Too late for a status: the client sees the connection fail, never a complete response.
        await expect(fetch(`${url}/broken`).then((r) => r.text())).rejects.toThrow();
      },
      { onError: (e) => errors.push(e) },
    );
    expect(errors.map((e) => (e as Error).message)).toEqual(['secret detail', 'body failed']);
  });

  it('validates its options', () => {
    expect(() => toNodeHandler(async () => new Response(), { maxBodyBytes: 0 })).toThrow(/toNodeHandler\(\): option "maxBodyBytes"/);
    expect(() => toNodeHandler(async () => new Response(), { limit: 1 } as never)).toThrow(/unknown option "limit"/);
    expect(() => toNodeHandler(null as never)).toThrow(/expects a function/);
  });
});

describe('incomingMessageToRequest', () => {
  it('uses Express originalUrl, falls back to localhost for a bad Host, and refuses a parsed body without raw bytes', async () => {
    const seen: Request[] = [];
    const failures: string[] = [];
    await serving(
      (req, res) => {
        const r = req as IncomingMessage & { originalUrl?: string; body?: unknown; rawBody?: unknown };
        if (req.url === '/mounted') r.originalUrl = '/api/mounted';
        if (req.url === '/parsed' || req.url === '/kept') {
          req.resume();
          req.on('end', () => {
            r.body = { a: 1 };
            if (req.url === '/kept') r.rawBody = Buffer.from('{"a": 1}');
            try {
              seen.push(incomingMessageToRequest(r));
            } catch (error) {
              failures.push((error as Error).message);
            }
            res.end();
          });
          return;
        }
        seen.push(incomingMessageToRequest(r));
        res.end();
      },
      async (url) => {
        await fetch(`${url}/mounted`);
        await fetch(`${url}/parsed`, { method: 'POST', body: '{"a": 1}' });
        await fetch(`${url}/kept`, { method: 'POST', body: '{"a": 1}' });
      },
    );
    expect(new URL(seen[0]!.url).pathname).toBe('/api/mounted');
    expect(await seen[1]!.text()).toBe('{"a": 1}');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/already read by a body parser .* Mount this handler before express.json\(\)/);
  });
});
