import { createServer, type IncomingMessage, type Server } from 'node:http';
import client from 'prom-client';
import { attach, channelOf, createMetricsHandler, publishHttpServerRequest, publishJourneyStep, type ParapetHandle } from '@parapet/core';

/**
 * The reference app, smallest form: a plain node:http server with a route table, recording
 * bounded HTTP and journey signals and serving them at /metrics. The framework adapters
 * (@parapet/express, @parapet/hono) do the route-template part for you.
 */
const routes: { method: string; template: string; pattern: RegExp; handle: (match: RegExpExecArray, req: IncomingMessage) => { status: number; body: unknown } }[] = [
  { method: 'GET', template: '/', pattern: /^\/$/, handle: () => ({ status: 200, body: { hello: 'parapet' } }) },
  { method: 'GET', template: '/users/:id', pattern: /^\/users\/([^/]+)$/, handle: (m) => ({ status: 200, body: { id: m[1] } }) },
  {
    method: 'POST', template: '/login', pattern: /^\/login$/,
    handle: (_m, req) => {
      const ok = req.headers['x-password'] === 'correct horse';
      if (channelOf('journey.step').hasSubscribers) publishJourneyStep({ journey: 'login', outcome: ok ? 'success' : 'failure' });
      return ok ? { status: 200, body: { ok } } : { status: 401, body: { ok } };
    },
  },
];

export interface DemoApp { server: Server; parapet: ParapetHandle; close(): Promise<void> }

export function createDemoApp(options: { metricsToken?: string } = {}): DemoApp {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const parapet = attach({ registry });
  const metrics = createMetricsHandler({ registry, ...(options.metricsToken ? { tokens: [options.metricsToken] } : {}) });

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/metrics') {
      const response = await metrics(new Request(url, { method: req.method ?? 'GET', headers: req.headers as Record<string, string> }));
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(await response.text());
      return;
    }
    const started = performance.now();
    let template: string | undefined;
    let status = 404;
    let body: unknown = { error: 'not found' };
    for (const route of routes) {
      const match = route.method === req.method ? route.pattern.exec(url.pathname) : null;
      if (match) {
        template = route.template;
        ({ status, body } = route.handle(match, req));
        break;
      }
    }
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
    publishHttpServerRequest({ method: req.method ?? '', route: template, statusCode: status, durationSeconds: (performance.now() - started) / 1000, framework: 'node:http' });
  });

  return {
    server,
    parapet,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await parapet.detach();
    },
  };
}
