import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { attach } from '@parapet/core';
import { Hono } from 'hono';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { instrument, parapet } from '../src/index.js';

// Its own file: the duration buckets are one setting per process.
const BUCKETS = [0.05, 0.5, 5];

async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 20));
  }
}

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

describe.each(['middleware', 'instrument'] as const)('the adapter mounts /metrics itself (%s)', (mode) => {
  it('serves metrics at metrics.path with its auth, 405 for other methods, process metrics, custom buckets, and never counts the scrape', async () => {
    const registry = new Registry();
    const handle = attach({ registry, families: ['http.server.request'] });
    try {
      const options = { metrics: { path: '/internal/metrics', registry, tokens: ['t0ken'] }, defaultMetrics: { prefix: 'app_' }, buckets: BUCKETS };
      const app = new Hono();
      if (mode === 'middleware') app.use(parapet(options));
      app.get('/work', (c) => c.text('done'));
      if (mode === 'instrument') instrument(app, options);
      await serving(app, async (url) => {
        const auth = { authorization: 'Bearer t0ken' };
        expect((await fetch(`${url}/internal/metrics`)).status).toBe(401);
        const post = await fetch(`${url}/internal/metrics`, { method: 'POST', headers: auth });
        expect(post.status).toBe(405);
        expect(post.headers.get('allow')).toBe('GET, HEAD');
        expect(await (await fetch(`${url}/work`)).text()).toBe('done');
        let text = '';
        await until(async () => {
          text = await (await fetch(`${url}/internal/metrics`, { headers: auth })).text();
          return text.includes('parapet_http_server_requests_total{route="/work"');
        });
        expect(text).toContain('app_process_cpu_user_seconds_total');
        const les = [...text.matchAll(/parapet_http_server_request_duration_seconds_bucket\{route="\/work"[^}]*le="([^"]+)"/g)].map((m) => m[1]);
        expect(les).toEqual(['0.05', '0.5', '5', '+Inf']);
        expect([...text.matchAll(/^parapet_http_server_requests_total\{route="([^"]+)"[^}]*\} [1-9]/gm)].map((m) => m[1])).toEqual(['/work']);
      });
    } finally {
      await handle.close();
    }
  });
});
