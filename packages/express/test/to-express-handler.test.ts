import { createHmac } from 'node:crypto';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { toExpressHandler } from '../src/index.js';
import { serving } from './helpers.js';

const SECRET = 'webhook-secret';
const sign = (body: string | Uint8Array) => createHmac('sha256', SECRET).update(body).digest('hex');

/** A signed-webhook endpoint: verifies an HMAC over the exact bytes it received. */
const verifyingHandler = async (request: Request) => {
  const bytes = new Uint8Array(await request.arrayBuffer());
  const ok = sign(bytes) === request.headers.get('x-signature');
  return Response.json({ ok, length: bytes.byteLength }, { status: ok ? 200 : 401 });
};

describe('toExpressHandler', () => {
  it('passes method, URL, headers and a streamed body through, and writes status, headers and body back', async () => {
    const app = express();
    app.post(
      '/echo',
      toExpressHandler(async (request) => {
        const body = await request.text();
        const headers = new Headers({ 'content-type': 'application/json', 'x-seen-method': request.method });
        headers.append('set-cookie', 'a=1; Path=/');
        headers.append('set-cookie', 'b=2; Path=/');
        return new Response(JSON.stringify({ url: new URL(request.url).pathname + new URL(request.url).search, body, token: request.headers.get('x-token') }), { status: 202, headers });
      }),
    );
    await serving(app, async (url) => {
      const res = await fetch(`${url}/echo?q=1`, { method: 'POST', body: 'hello', headers: { 'x-token': 't' } });
      expect(res.status).toBe(202);
      expect(res.headers.get('x-seen-method')).toBe('POST');
      expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
      expect(await res.json()).toEqual({ url: '/echo?q=1', body: 'hello', token: 't' });
    });
  });

  it('keeps the exact bytes for signed webhooks: mounted before express.json(), with req.rawBody, or after express.raw()', async () => {
    const app = express();
    app.post('/before', toExpressHandler(verifyingHandler));
    app.post('/verify', express.json({ verify: (req, _res, buf) => void ((req as unknown as { rawBody: Buffer }).rawBody = buf) }), toExpressHandler(verifyingHandler));
    app.post('/raw', express.raw({ type: '*/*' }), toExpressHandler(verifyingHandler));
    // Whitespace and key order a re-serialization would lose.
    const body = '{ "b": 2,   "a": [1, 2.50] }\n';
    await serving(app, async (url) => {
      for (const path of ['/before', '/verify', '/raw']) {
        const res = await fetch(url + path, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-signature': sign(body) } });
        expect(await res.json(), path).toEqual({ ok: true, length: Buffer.byteLength(body) });
      }
    });
  });

  it('refuses a body express.json() parsed without keeping raw bytes, saying how to fix the mount (never re-serializes)', async () => {
    const app = express();
    app.use(express.json());
    let called = false;
    app.post(
      '/parsed',
      toExpressHandler(async (request) => {
        called = true;
        return verifyingHandler(request);
      }),
    );
    await serving(app, async (url) => {
      const res = await fetch(`${url}/parsed`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json', 'x-signature': sign('{"a":1}') } });
      expect(res.status).toBe(500);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('INTERNAL');
      expect(error.message).toMatch(/Mount this handler before express.json\(\), or keep the raw bytes/);
      expect(called).toBe(false);
    });
  });

  it('answers 413 with the shared JSON error past maxBodyBytes, announced or streamed', async () => {
    const app = express();
    app.post('/small', toExpressHandler(verifyingHandler, { maxBodyBytes: 16 }));
    await serving(app, async (url) => {
      const announced = await fetch(`${url}/small`, { method: 'POST', body: 'x'.repeat(17) });
      expect(announced.status).toBe(413);
      expect(await announced.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/larger than 16 bytes/), details: { maxBodyBytes: 16 } } });
      const chunks = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode('y'.repeat(10)));
          controller.close();
        },
      });
      const streamed = await fetch(`${url}/small`, { method: 'POST', body: chunks, duplex: 'half' } as RequestInit);
      expect(streamed.status).toBe(413);
      const fits = await fetch(`${url}/small`, { method: 'POST', body: 'z'.repeat(16), headers: { 'x-signature': sign('z'.repeat(16)) } });
      expect(fits.status).toBe(200);
    });
    expect(() => toExpressHandler(verifyingHandler, { maxBodyBytes: -1 })).toThrow(/option "maxBodyBytes"/);
    expect(() => toExpressHandler(verifyingHandler, { maxBytes: 1 } as never)).toThrow(/unknown option "maxBytes".*accepted options: maxBodyBytes/);
  });

  it('answers 500 when the handler throws, sends no body for HEAD, and rejects a non-function', async () => {
    const app = express();
    app.get('/throws', toExpressHandler(async () => Promise.reject(new Error('handler failed'))));
    app.get('/text', toExpressHandler(async () => new Response('some body', { headers: { 'content-type': 'text/plain' } })));
    await serving(app, async (url) => {
      const failed = await fetch(`${url}/throws`);
      expect(failed.status).toBe(500);
      expect(await failed.text()).not.toContain('handler failed');
      const head = await fetch(`${url}/text`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
      expect(await (await fetch(`${url}/text`)).text()).toBe('some body');
    });
    expect(() => toExpressHandler('nope' as never)).toThrow(/expects a function \(request: Request\) => Promise<Response>/);
  });
});
