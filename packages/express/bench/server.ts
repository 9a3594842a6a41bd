import type { AddressInfo } from 'node:net';
import { attach } from '@parapet/core';
import express from 'express';
import promBundle from 'express-prom-bundle';
import { Registry } from 'prom-client';
import { answerCpuQueries } from '@parapet/http-conformance/bench';
import { instrument, metricsHandler, parapet } from '../src/index.js';

/** One benchmark server per variant (see bench/run.ts), serving GET /users/:id. */
answerCpuQueries();
const variant = process.argv[2];
const app = express();
if (variant === 'parapet') {
  const registry = new Registry();
  attach({ registry });
  app.use(parapet());
  app.get('/metrics', metricsHandler({ registry, public: true }));
} else if (variant === 'parapet instrument()') {
  const registry = new Registry();
  attach({ registry });
  instrument(app);
  app.get('/metrics', metricsHandler({ registry, public: true }));
} else if (variant === 'no-op middleware') {
  // The floor: what one more middleware layer costs in Express.
  app.use((_req, _res, next) => next());
} else if (variant === 'parapet (not attached)') {
  app.use(parapet());
} else if (variant === 'express-prom-bundle') {
  app.use(promBundle({ includeMethod: true, includePath: true, promRegistry: new Registry() }));
} else if (variant !== 'bare') {
  throw new Error(`unknown variant ${variant}`);
}
app.get('/users/:id', (req, res) => {
  res.json({ hello: 'world', id: req.params.id });
});
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`ready ${(server.address() as AddressInfo).port}\n`);
});
