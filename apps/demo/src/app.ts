import type { Server } from 'node:http';
import express from 'express';
import client from 'prom-client';
import { attach, publishJourneyStep, type ParapetHandle } from '@parapet/core';
import { instrument, metricsHandler } from '@parapet/express';

/**
 * The reference app: an Express API whose requests and login journey become bounded
 * reliability signals, served at /metrics. Copy it as a starting point.
 */
export interface DemoApp { app: express.Express; parapet: ParapetHandle; listen(port: number, host?: string): Promise<Server>; close(): Promise<void> }

function usersRouter() {
  const users = express.Router({ mergeParams: true }) as express.Router;
  users.get('/:id', (req: express.Request<{ org: string; id: string }>, res) => {
    res.json({ org: req.params.org, id: req.params.id });
  });
  return users;
}

export function createDemoApp(options: { metricsToken?: string } = {}): DemoApp {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const handle = attach({ registry });

  // instrument() records every request without adding a middleware layer (see @parapet/express).
  const app = instrument(express());
  app.get('/metrics', metricsHandler({ registry, ...(options.metricsToken ? { tokens: [options.metricsToken] } : {}) }));
  app.get('/', (_req, res) => {
    res.json({ hello: 'parapet' });
  });
  app.use('/orgs/:org/users', usersRouter());
  app.post('/login', (req, res) => {
    const ok = req.get('x-password') === 'correct horse';
    publishJourneyStep({ journey: 'login', outcome: ok ? 'success' : 'failure' });
    res.status(ok ? 200 : 401).json({ ok });
  });
  app.get('/boom', () => {
    throw new Error('demo failure');
  });

  let server: Server | undefined;
  return {
    app,
    parapet: handle,
    listen(port, host = '127.0.0.1') {
      return new Promise((resolve) => {
        server = app.listen(port, host, () => resolve(server!));
      });
    },
    async close() {
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      await handle.close();
    },
  };
}
