import { getRequestListener } from '@hono/node-server';
import { runInProcessBench, type RequestListener } from '@parapet/http-conformance/in-process-bench';
import { prometheus } from '@hono/prometheus';
import { attach } from '@parapet/core';
import { Hono } from 'hono';
import { Registry } from 'prom-client';
import { instrument, parapet } from '../src/index.js';

/**
 * Server CPU per request through @hono/node-server's real request listener (its synchronous
 * fast path included), in process: see @parapet/http-conformance/in-process-bench.
 * `pnpm --filter @parapet/hono bench:path` (ROUNDS, N env vars).
 */
const registry = new Registry();
attach({ registry });
const variants: Record<string, (app: Hono) => void> = {
  bare: () => {},
  'no-op middleware': (app) => app.use((_c, next) => next()),
  parapet: (app) => app.use(parapet()),
  'parapet instrument()': () => {},
  '@hono/prometheus': (app) => app.use('*', prometheus({ registry: new Registry() }).registerMetrics),
};
const selected = process.env.VARIANTS?.split(',') ?? Object.keys(variants);

const servers = selected.map((name) => {
  const app = new Hono();
  variants[name]!(app);
  app.get('/users/:id', (c) => c.json({ hello: 'world', id: c.req.param('id') }));
  if (name === 'parapet instrument()') instrument(app);
  return { name, listener: getRequestListener(app.fetch) };
});

await runInProcessBench({
  title: '@hono/node-server listener',
  url: '/users/42',
  variants: Object.fromEntries(servers.map((s) => [s.name, s.listener as RequestListener])),
});
