import express from 'express';
import { describe, expect, it } from 'vitest';
import { toExpressHandler } from '../src/index.js';
import { serving } from './helpers.js';

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

  it('hands a body already parsed by express.json() on as JSON', async () => {
    const app = express();
    app.use(express.json());
    app.post('/parsed', toExpressHandler(async (request) => Response.json(await request.json())));
    await serving(app, async (url) => {
      const res = await fetch(`${url}/parsed`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
      expect(await res.json()).toEqual({ a: 1 });
    });
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
