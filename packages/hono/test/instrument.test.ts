import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { rawExchange } from '@parapet/http-conformance';
import { EventEmitter } from 'node:events';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { afterEach, describe, expect, it } from 'vitest';
import { instrument, metricsHandler, parapet } from '../src/index.js';
import { collectEvents } from './helpers.js';

let stop: (() => void) | undefined;
afterEach(() => stop?.());

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function listen() {
  const c = collectEvents();
  stop = c.stop;
  return c.events;
}

/** Requests through app.request(): no Node response object, so the body-wrapping path runs. */
async function run(app: Hono, requests: readonly (string | [string, RequestInit])[]) {
  const events = listen();
  for (const r of requests) {
    const res = typeof r === 'string' ? await app.request(r) : await app.request(r[0], r[1]);
    await res.arrayBuffer();
  }
  return events;
}

/** Stands in for the Node ServerResponse @hono/node-server passes as `env.outgoing`. */
class FakeOutgoing extends EventEmitter {
  writableFinished = false;
  statusCode = 200;
  end(statusCode: number) {
    this.statusCode = statusCode;
    this.writableFinished = true;
    this.emit('close');
  }
  abort() {
    this.emit('close');
  }
}

describe('instrument(app): route templates without a middleware', () => {
  const build = (withRootMiddleware: boolean) => {
    const members = new Hono();
    members.get('/members/:member', (c) => c.text('m'));
    const teams = new Hono();
    teams.route('/teams/:team', members);
    const api = new Hono().basePath('/api');
    api.route('/v1', teams);
    const app = new Hono();
    if (withRootMiddleware) app.use('*', async (_c, next) => next());
    app.route('/', api);
    app.get('/users/:id', (c) => c.text('u'));
    return instrument(app);
  };

  for (const withRootMiddleware of [false, true]) {
    it(`resolves sub-apps, basePath and nested app.route(); unmatched is undefined (${withRootMiddleware ? 'with' : 'without'} root-wide middleware)`, async () => {
      const app = build(withRootMiddleware);
      const events = await run(app, ['/api/v1/teams/red/members/7', '/users/1', '/nope', '/api/v1/teams/red/zzz', ['/users/2', { method: 'PURGE' }]]);
      expect(events.map((e) => e.route)).toEqual(['/api/v1/teams/:team/members/:member', '/users/:id', undefined, undefined, undefined]);
      expect(events.map((e) => e.statusCode)).toEqual([200, 200, 404, 404, 404]);
      expect(events.map((e) => e.method)).toEqual(['GET', 'GET', 'GET', 'GET', 'PURGE']);
      expect(events.every((e) => e.framework === 'hono' && e.aborted === false)).toBe(true);
    });
  }

  it('labels HEAD served by a GET route with the route and method HEAD', async () => {
    const app = instrument(new Hono().get('/users/:id', (c) => c.json({ id: c.req.param('id') })));
    const events = await run(app, [['/users/3', { method: 'HEAD' }]]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ route: '/users/:id', method: 'HEAD', statusCode: 200 });
  });

  it('labels by the last matched pattern: the route, or the scoped middleware when no route matched', async () => {
    const app = new Hono();
    app.use('/admin/*', async (c) => c.text('denied', 401));
    app.get('/admin/panel', (c) => c.text('panel'));
    instrument(app);
    const events = await run(app, ['/admin/panel', '/admin/anything-at-all']);
    expect(events.map((e) => `${e.route} ${e.statusCode}`)).toEqual(['/admin/panel 401', '/admin/* 401']);
  });

  it('keeps the right route when a handler calls app.fetch() itself', async () => {
    const app = new Hono();
    app.get('/inner', (c) => c.text('inner'));
    app.get('/outer', async (c) => {
      const inner = app.request('/inner'); // enters app.fetch before the outer request returns
      return c.text(`outer+${await (await inner).text()}`);
    });
    instrument(app);
    const events = await run(app, ['/outer']);
    expect(events.map((e) => e.route).sort()).toEqual(['/inner', '/outer']);
  });
});

describe('instrument(app): errors', () => {
  it('counts a thrown error as a server error whichever handler answers, but not an HTTPException with a 4xx answer', async () => {
    const app = new Hono();
    instrument(app); // before onError: app.onError() still sets the handler that answers
    app.get('/boom', () => {
      throw new Error('boom');
    });
    app.get('/later', async () => {
      await sleep(1);
      throw new Error('later');
    });
    app.get('/forbidden', () => {
      throw new HTTPException(403, { message: 'no' });
    });
    app.onError((err, c) => (err instanceof HTTPException ? err.getResponse() : c.text('handled', 200)));
    const events = await run(app, ['/boom', '/later', '/forbidden']);
    const bodies = await Promise.all(['/boom', '/later'].map(async (p) => (await app.request(p)).text()));
    expect(bodies).toEqual(['handled', 'handled']);
    expect(events.slice(0, 3).map((e) => `${e.route} ${e.statusCode}`)).toEqual(['/boom 200', '/later 200', '/forbidden 403']);
    expect(events[0]!.error).toBeInstanceOf(Error);
    expect(events[1]!.error).toBeInstanceOf(Error);
    expect(events[2]!.error).toBeUndefined();
  });

  it('counts errors answered by Hono’s default handler and with onError set before instrument()', async () => {
    const plain = instrument(new Hono().get('/boom', () => Promise.reject(new Error('boom'))));
    const handled = new Hono().get('/boom', () => {
      throw new Error('boom');
    });
    handled.onError((_err, c) => c.text('ok', 200));
    instrument(handled);
    const events = listen();
    const original = console.error;
    console.error = () => {}; // Hono's default handler logs the error
    try {
      const a = await plain.request('/boom');
      expect([a.status, await a.text()]).toEqual([500, 'Internal Server Error']);
      const b = await handled.request('/boom');
      expect([b.status, await b.text()]).toEqual([200, 'ok']);
    } finally {
      console.error = original;
    }
    expect(events.map((e) => `${e.route} ${e.statusCode} ${e.error instanceof Error}`)).toEqual(['/boom 500 true', '/boom 200 true']);
  });

  it('records a non-Error throw (which Hono rethrows) as a server error and rethrows it', async () => {
    const app = instrument(
      new Hono().get('/odd', () => {
        throw 'not an error';
      }),
    );
    const events = listen();
    expect(() => app.fetch(new Request('http://localhost/odd'))).toThrow('not an error');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ route: '/odd', statusCode: 500, error: 'not an error' });
  });
});

describe('instrument(app): timing', () => {
  it('without a Node response, ends at the end of a streamed body, not when the handler returns', async () => {
    const app = new Hono();
    app.get('/stream', () => {
      let n = 0;
      return new Response(
        new ReadableStream({
          async pull(controller) {
            await sleep(60);
            controller.enqueue(new TextEncoder().encode('x'));
            if (++n === 3) controller.close();
          },
        }),
      );
    });
    instrument(app);
    const [event] = await run(app, ['/stream']);
    expect(event!.durationSeconds).toBeGreaterThanOrEqual(0.15);
    expect(event!.aborted).toBe(false);
  });

  it('without a Node response, records an abort when the reader cancels the body', async () => {
    const app = instrument(new Hono().get('/forever', () => new Response(new ReadableStream({ pull: () => sleep(10) }))));
    const events = listen();
    const res = await app.request('/forever');
    await res.body!.cancel();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ route: '/forever', aborted: true });
  });

  it('on Node, keeps the synchronous fast path and ends when the response closes, once', () => {
    const app = new Hono().get('/users/:id', (c) => c.json({ id: c.req.param('id') }));
    const answer = new Hono().get('/users/:id', (c) => c.json({ id: c.req.param('id') })).fetch(new Request('http://localhost/users/1'));
    expect(answer).toBeInstanceOf(Response); // Hono answers a single-handler route synchronously ...
    instrument(app);
    const events = listen();
    const outgoing = new FakeOutgoing();
    const res = app.fetch(new Request('http://localhost/users/1'), { outgoing });
    expect(res).toBeInstanceOf(Response); // ... and still does once instrumented: no wrapping, no promise
    expect(events).toHaveLength(0); // not when the handler returns
    outgoing.end(200);
    outgoing.emit('close');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ route: '/users/:id', statusCode: 200, aborted: false });

    const aborted = new FakeOutgoing();
    void app.fetch(new Request('http://localhost/users/2'), { outgoing: aborted });
    aborted.abort();
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ route: '/users/:id', aborted: true });
  });
});

describe('instrument(app): options and exclusions', () => {
  it('never counts the metrics route, a metricsHandler() anywhere, or skipped requests; survives throwing callbacks', async () => {
    const seen: [string, string | undefined][] = [];
    const app = new Hono();
    app.get('/metrics', (c) => c.text('scrape'));
    app.get('/internal/prom', metricsHandler({ public: true }));
    for (const p of ['/healthz', '/explode', '/work']) app.get(p, (c) => c.text('ok'));
    instrument(app, {
      skip: (request, route) => {
        seen.push([new URL(request.url).pathname, route]);
        if (route === '/explode') throw new Error('skip blew up');
        return route === '/healthz';
      },
      traceId: () => {
        throw new Error('tracing blew up');
      },
    });
    const events = await run(app, ['/metrics', '/internal/prom', '/healthz', '/explode', '/work', ['/metrics', { method: 'POST' }]]);
    // A throwing skip() records the request (the fault is counted, not the traffic lost).
    expect(events.map((e) => e.route)).toEqual(['/explode', '/work']);
    expect(events[0]!.traceId).toBeUndefined();
    expect(seen).toEqual([
      ['/healthz', '/healthz'],
      ['/explode', '/explode'],
      ['/work', '/work'],
    ]);
  });

  it('uses the traceId option, or none with traceId: false; metricsPath: false counts /metrics', async () => {
    const a = instrument(new Hono().get('/x', (c) => c.text('x')), { traceId: (request) => request.headers.get('x-trace') ?? undefined });
    const b = instrument(new Hono().get('/metrics', (c) => c.text('x')), { traceId: false, metricsPath: false });
    const events = listen();
    await (await a.request('/x', { headers: { 'x-trace': 'abc' } })).text();
    await (await b.request('/metrics')).text();
    expect(events.map((e) => [e.route, e.traceId])).toEqual([
      ['/x', 'abc'],
      ['/metrics', undefined],
    ]);
  });

  it('costs nothing visible when Parapet is not attached: the handler’s own response comes back', () => {
    const body = new Response('same');
    const app = instrument(new Hono().get('/x', () => body));
    expect(app.fetch(new Request('http://localhost/x'))).toBe(body);
  });

  it('rejects bad input at setup with a message that says what to pass', () => {
    expect(() => instrument(new Hono(), { metricPath: '/m' } as never)).toThrow('@parapet/hono instrument(app, options): unknown option "metricPath" (did you mean "metricsPath"?)');
    expect(() => instrument(new Hono(), { metricsPath: 'metrics' })).toThrow(/option "metricsPath": must be a route path starting with "\/"/);
    expect(() => instrument(new Hono(), { skip: 1 } as never)).toThrow(/option "skip" must be a function, got number 1/);
    expect(() => instrument(new Hono(), { traceId: 'x' } as never)).toThrow(/option "traceId": must be a function .*, or false to turn exemplars off/);
    expect(() => instrument(new Hono(), null as never)).toThrow(/@parapet\/hono instrument\(app, options\): the options must be an object, got null/);
    expect(() => instrument({} as never)).toThrow(/expects a Hono app \(new Hono\(\)\), got object/);
    expect(() => instrument(undefined as never)).toThrow(/expects a Hono app \(new Hono\(\)\), got undefined/);
    const app = instrument(new Hono());
    expect(() => instrument(app)).toThrow(/already instrumented/);
  });
});

describe('a client that leaves before the request reaches the app (Node)', () => {
  for (const mode of ['middleware', 'instrument'] as const) {
    it(`${mode}: is still recorded once, as aborted, with its route`, async () => {
      const events = listen();
      const app = new Hono();
      if (mode === 'middleware') app.use(parapet());
      app.get('/late/:id', async (c) => {
        await sleep(50);
        return c.text('late');
      });
      if (mode === 'instrument') instrument(app);
      // The server hands the request to Hono only after its Node response has closed.
      const server = await new Promise<ServerType>((resolve) => {
        const s = serve(
          {
            fetch: (request, env) =>
              new Promise<Response>((resolveResponse) => (env.outgoing as ServerResponse).once('close', () => resolveResponse(app.fetch(request, env)))),
            port: 0,
            hostname: '127.0.0.1',
          },
          () => resolve(s),
        );
      });
      try {
        await rawExchange(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'GET /late/1 HTTP/1.1\r\nHost: x\r\n\r\n', 100);
        const deadline = Date.now() + 15_000;
        while (events.length === 0 && Date.now() < deadline) await sleep(20);
        await sleep(100);
        expect(events.map((e) => [e.route, e.aborted])).toEqual([['/late/:id', true]]);
      } finally {
        if ('closeAllConnections' in server) server.closeAllConnections();
        await new Promise((r) => server.close(r));
      }
    });
  }
});
