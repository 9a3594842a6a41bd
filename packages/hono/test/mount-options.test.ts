import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { describeMountOptions } from '@parapet/http-conformance';
import { Hono } from 'hono';
import { instrument, parapet } from '../src/index.js';

async function serving(app: Hono, fn: (url: string) => Promise<void>): Promise<void> {
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    if ('closeAllConnections' in server) server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

// Its own file: the duration buckets are one setting per process.
describeMountOptions({
  async serving(mode, options, fn) {
    const app = new Hono();
    if (mode === 'middleware') app.use(parapet(options));
    app.get('/work', (c) => c.text('done'));
    if (mode === 'instrument') instrument(app, options);
    await serving(app, fn);
  },
});
