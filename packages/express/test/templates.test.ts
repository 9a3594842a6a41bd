import { afterEach, describe, expect, it } from 'vitest';
import express5 from 'express';
import express4 from 'express4';
import { parapet } from '../src/index.js';
import { collectEvents, requestAll, serving, type ExpressModule } from './helpers.js';

const versions: [string, ExpressModule][] = [
  ['express 4', express4],
  ['express 5', express5],
];

let stop: (() => void) | undefined;
afterEach(() => stop?.());

describe.each(versions)('route templates on %s', (_name, e) => {
  /** Routers built before parapet() is installed, the way modules usually define them. */
  function nestedApp() {
    const members = e.Router({ mergeParams: true });
    members.get('/members/:member', (_req, res) => void res.json({}));
    members.get('/', (_req, res) => void res.json([]));
    const v1 = e.Router();
    v1.use('/teams/:team', members);
    const api = e.Router();
    api.use('/v1', v1);
    const sub = e();
    sub.get('/items/:item', (_req, res) => void res.json({}));
    const app = e();
    app.use(parapet());
    app.use('/api', api);
    app.use('/tenants/:tenant', sub);
    app.use('/assets', (_req, res) => void res.send('asset'));
    app.get('/fall/:x', (_req, _res, next) => next());
    app.get('/fall/special', (_req, res) => void res.send('special'));
    app.get(['/one', '/two'], (_req, res) => void res.send('either'));
    app.get(/^\/re\/\d+$/, (_req, res) => void res.send('regexp'));
    app.get('/client-error', () => {
      throw Object.assign(new Error('gone'), { status: 410 });
    });
    app.get('/nested-error/:id', () => {
      throw new Error('nested');
    });
    return app;
  }

  it('resolves nested routers, sub-apps and mount params to the full template', async () => {
    const c = collectEvents();
    stop = c.stop;
    await serving(nestedApp(), async (url) => {
      const cases: [string, string | undefined][] = [
        ['/api/v1/teams/red/members/7', '/api/v1/teams/:team/members/:member'],
        ['/api/v1/teams/blue/members/8/', '/api/v1/teams/:team/members/:member'],
        ['/api/v1/teams/red', '/api/v1/teams/:team'],
        ['/tenants/acme/items/3', '/tenants/:tenant/items/:item'],
        ['/assets/logo.png', '/assets'],
        ['/fall/special', '/fall/special'],
        ['/fall/other', undefined],
        ['/one', '/one|/two'],
        ['/two', '/one|/two'],
        ['/re/42', String(/^\/re\/\d+$/)],
        ['/api/v1/teams/red/nothing-here', undefined],
        ['/nope', undefined],
      ];
      await requestAll(url, cases.map(([p]) => p), c.events);
      expect(c.events.map((ev) => ev.route)).toEqual(cases.map(([, t]) => t));
      for (const ev of c.events) expect(ev.framework).toBe('express');
    });
  });

  it('keeps letter case and values of mount paths out of the label', async () => {
    const c = collectEvents();
    stop = c.stop;
    await serving(nestedApp(), async (url) => {
      await requestAll(url, ['/API/V1/teams/x/members/1', '/Api/v1/TEAMS/y/members/2', '/api/v1/teams/z/members/3'], c.events);
      expect(new Set(c.events.map((ev) => ev.route)).size).toBe(1);
      expect(c.events[0]!.route!.toLowerCase()).toBe('/api/v1/teams/:team/members/:member');
    });
  });

  it('labels errors where they were thrown; http-errors style 4xx are not server errors', async () => {
    const c = collectEvents();
    stop = c.stop;
    await serving(nestedApp(), async (url) => {
      await requestAll(url, ['/nested-error/1', '/client-error'], c.events);
      const [nested, client] = c.events;
      expect(nested).toMatchObject({ route: '/nested-error/:id', statusCode: 500 });
      expect(nested!.error).toBeInstanceOf(Error);
      expect(client).toMatchObject({ route: '/client-error', statusCode: 410 });
      expect(client!.error).toBeUndefined();
    });
  });
});

describe('mount paths that only Express 4 or 5 can express', () => {
  it('Express 4: optional mount params stay templates', async () => {
    const c = collectEvents();
    stop = c.stop;
    const r = express4.Router({ mergeParams: true });
    r.get('/', (_req, res) => void res.send('ok'));
    const app = express4();
    app.use(parapet());
    app.use('/files/:kind?', r);
    await serving(app, async (url) => {
      await requestAll(url, ['/files/img', '/files', '/files/doc/'], c.events);
      expect(c.events.map((e) => e.route)).toEqual(['/files/:kind', '/files', '/files/:kind']);
    });
  });

  it('Express 5: optional segments and splats stay templates', async () => {
    const c = collectEvents();
    stop = c.stop;
    const r = express5.Router({ mergeParams: true });
    r.get('/', (_req, res) => void res.send('ok'));
    const app = express5();
    app.use(parapet());
    app.use('/files{/:kind}', r);
    app.get('/docs/*path', (_req, res) => void res.send('doc'));
    await serving(app, async (url) => {
      await requestAll(url, ['/files/img', '/files', '/docs/a/b/c'], c.events);
      expect(c.events.map((e) => e.route)).toEqual(['/files{/:kind}', '/files{/:kind}', '/docs/*path']);
    });
  });
});

describe.each(versions)('a body parser that rejects the body before routing (%s)', (_name, e) => {
  it('keeps the template of the route the router matched, top-level or in mounted routers', async () => {
    const c = collectEvents();
    stop = c.stop;
    const items = e.Router({ mergeParams: true });
    items.post('/items/:item', (req, res) => void res.json(req.body));
    const v1 = e.Router();
    v1.use('/teams/:team', items);
    const app = e();
    app.use(parapet());
    app.use(e.json());
    app.post('/top/:id', (req, res) => void res.json(req.body));
    app.use('/api/v1', v1);
    app.use(((err, _req, res, _next) => void res.status((err as { status?: number }).status ?? 500).send('bad')) as express5.ErrorRequestHandler);
    await serving(app, async (url) => {
      const post = { method: 'POST', body: '{"broken":', headers: { 'content-type': 'application/json' } };
      await requestAll(url, ['/top/1', '/api/v1/teams/red/items/7', '/api/v1/teams/red/nothing', '/nope'], c.events, post);
      expect(c.events.map((ev) => [ev.route, ev.statusCode])).toEqual([
        ['/top/:id', 400],
        ['/api/v1/teams/:team/items/:item', 400],
        [undefined, 400],
        [undefined, 400],
      ]);
    });
  });
});
