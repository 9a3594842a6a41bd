import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { prometheus } from '@hono/prometheus';
import { attach } from '@parapet/core';
import { Hono } from 'hono';
import { Registry } from 'prom-client';
import { answerCpuQueries } from '@parapet/http-conformance/bench';
import { instrument, metricsHandler, parapet } from '../src/index.js';

/** One benchmark server per variant (see bench/run.ts), serving GET /users/:id. */
answerCpuQueries();
const variant = process.argv[2];
const app = new Hono();
if (variant === 'parapet') {
  const registry = new Registry();
  attach({ registry });
  app.use(parapet());
  app.get('/metrics', metricsHandler({ registry, public: true }));
} else if (variant === 'parapet instrument()') {
  // No middleware: the route stays on Hono's single-handler fast path (instrument() below).
  const registry = new Registry();
  attach({ registry });
  app.get('/metrics', metricsHandler({ registry, public: true }));
} else if (variant === 'no-op middleware') {
  // The floor: what any middleware costs in Hono (it takes node-server off its sync fast path).
  app.use((_c, next) => next());
} else if (variant === 'parapet (not attached)') {
  app.use(parapet());
} else if (variant === '@hono/prometheus') {
  const { printMetrics, registerMetrics } = prometheus({ registry: new Registry() });
  app.use('*', registerMetrics);
  app.get('/metrics', printMetrics);
} else if (variant !== 'bare') {
  throw new Error(`unknown variant ${variant}`);
}
app.get('/users/:id', (c) => c.json({ hello: 'world', id: c.req.param('id') }));
if (variant === 'parapet instrument()') instrument(app);
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => {
  process.stdout.write(`ready ${(server.address() as AddressInfo).port}\n`);
});
