import { attach } from '@parapet/core';
import { runInProcessBench, type RequestListener } from '@parapet/http-conformance/in-process-bench';
import express from 'express';
import promBundle from 'express-prom-bundle';
import { Registry } from 'prom-client';
import { instrument, metricsHandler, parapet } from '../src/index.js';

/**
 * Server CPU per request through a real Express app, in process (no socket, no parser): see
 * @parapet/http-conformance/in-process-bench. Resolves the microsecond differences the load
 * test (bench/run.ts) cannot on a 2-core machine. `pnpm --filter @parapet/express bench:path`.
 */
const registry = new Registry();
attach({ registry });

function app(setup: (a: express.Express) => void): RequestListener {
  const a = express();
  setup(a);
  a.get('/users/:id', (req, res) => {
    res.json({ hello: 'world', id: req.params.id });
  });
  return a as unknown as RequestListener;
}

await runInProcessBench({
  title: 'Express 5 app',
  url: '/users/42',
  variants: {
    bare: app(() => {}),
    'no-op middleware': app((a) => a.use((_req, _res, next) => next())),
    parapet: app((a) => {
      a.use(parapet());
      a.get('/metrics', metricsHandler({ registry, public: true }));
    }),
    'parapet instrument()': app((a) => {
      instrument(a);
      a.get('/metrics', metricsHandler({ registry, public: true }));
    }),
    'express-prom-bundle': app((a) => a.use(promBundle({ includeMethod: true, includePath: true, promRegistry: new Registry() }))),
  },
});
