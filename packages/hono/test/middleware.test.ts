import { HTTPException } from 'hono/http-exception';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { parapet } from '../src/index.js';
import { collectEvents } from './helpers.js';

let stop: (() => void) | undefined;
afterEach(() => stop?.());

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Requests through app.request(): no Node response object, so the body-wrapping path runs. */
async function run(app: Hono, paths: readonly (string | [string, RequestInit])[]) {
  const c = collectEvents();
  stop = c.stop;
  for (const p of paths) await (await (typeof p === 'string' ? app.request(p) : app.request(p[0], p[1]))).arrayBuffer();
  return c.events;
}

describe('route templates', () => {
  it('resolves sub-apps, basePath and nested app.route() to the full pattern; unmatched is undefined', async () => {
    const members = new Hono();
    members.get('/members/:member', (c) => c.text('m'));
    const teams = new Hono();
    teams.route('/teams/:team', members);
    const api = new Hono().basePath('/api');
    api.route('/v1', teams);
    const app = new Hono();
    app.use(parapet());
    app.use('*', async (_c, next) => next()); // another root-wide middleware after ours
    app.route('/', api);
    app.get('/users/:id', (c) => c.text('u'));
    const events = await run(app, ['/api/v1/teams/red/members/7', '/users/1', '/nope', '/api/v1/teams/red/zzz']);
    expect(events.map((e) => e.route)).toEqual(['/api/v1/teams/:team/members/:member', '/users/:id', undefined, undefined]);
    expect(events.map((e) => e.statusCode)).toEqual([200, 200, 404, 404]);
    expect(events.every((e) => e.framework === 'hono')).toBe(true);
  });

  it('labels a response from scoped middleware with its pattern (bounded, never the path)', async () => {
    const app = new Hono();
    app.use(parapet());
    app.use('/admin/*', async (c) => c.text('denied', 401));
    app.get('/admin/panel', (c) => c.text('panel'));
    const events = await run(app, ['/admin/panel', '/admin/anything-at-all']);
    expect(events.map((e) => `${e.route} ${e.statusCode}`)).toEqual(['/admin/* 401', '/admin/* 401']);
  });

  it('counts a thrown error as a server error, but not an HTTPException with a 4xx answer', async () => {
    const app = new Hono();
    app.use(parapet());
    app.get('/boom', () => {
      throw new Error('boom');
    });
    app.get('/forbidden', () => {
      throw new HTTPException(403, { message: 'no' });
    });
    app.onError((err, c) => (err instanceof HTTPException ? err.getResponse() : c.text('handled', 200)));
    const [boom, forbidden] = await run(app, ['/boom', '/forbidden']);
    expect(boom).toMatchObject({ route: '/boom', statusCode: 200 });
    expect(boom!.error).toBeInstanceOf(Error);
    expect(forbidden).toMatchObject({ route: '/forbidden', statusCode: 403 });
    expect(forbidden!.error).toBeUndefined();
  });
});

describe('timing without a Node response object', () => {
  it('ends at the end of a streamed body, not when the handler returns', async () => {
    const app = new Hono();
    app.use(parapet());
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
    const [event] = await run(app, ['/stream']);
    expect(event!.durationSeconds).toBeGreaterThanOrEqual(0.15);
    expect(event!.aborted).toBe(false);
  });

  it('records an abort when the reader cancels the body', async () => {
    const c = collectEvents();
    stop = c.stop;
    const app = new Hono();
    app.use(parapet());
    app.get('/forever', () => new Response(new ReadableStream({ pull: () => sleep(10) })));
    const res = await app.request('/forever');
    await res.body!.cancel();
    expect(c.events).toHaveLength(1);
    expect(c.events[0]).toMatchObject({ route: '/forever', aborted: true });
  });
});

describe('parapet() options', () => {
  it('rejects bad options with a message that says what to pass', () => {
    expect(() => parapet({ metricPath: '/m' } as never)).toThrow('@parapet/hono parapet(): unknown option "metricPath" (did you mean "metricsPath"?)');
    expect(() => parapet({ metricsPath: 'metrics' })).toThrow(/option "metricsPath": must be a route path starting with "\/"/);
    expect(() => parapet({ skip: 1 } as never)).toThrow(/option "skip" must be a function/);
    expect(() => parapet({ traceId: 'x' } as never)).toThrow(/option "traceId": must be a function .* or false/);
    expect(() => parapet(null as never)).toThrow(/the options must be an object, got null/);
    expect(() => parapet({ metrics: { path: '/m', tokns: 'x' } } as never)).toThrow(/unknown option "metrics.tokns" \(did you mean "metrics.tokens"\?\)/);
    expect(() => parapet({ buckets: [0.1, 0.1] })).toThrow(/strictly ascending/);
  });

  it('honours skip and metricsPath, and records the request when skip() or traceId() throws', async () => {
    const app = new Hono();
    app.use(
      parapet({
        metricsPath: '/internal/metrics',
        skip: (c) => {
          if (c.req.path === '/explode') throw new Error('skip blew up');
          return c.req.path === '/healthz';
        },
        traceId: () => {
          throw new Error('tracing blew up');
        },
      }),
    );
    for (const p of ['/internal/metrics', '/healthz', '/explode', '/work']) app.get(p, (c) => c.text('ok'));
    const events = await run(app, ['/internal/metrics', '/healthz', '/explode', '/work', ['/internal/metrics', { method: 'DELETE' }]]);
    expect(events.map((e) => e.route)).toEqual(['/explode', '/work']);
  });
});
