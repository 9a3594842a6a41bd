import { attach } from '@parapet/core';
import express from 'express';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { instrument, parapet } from '../src/index.js';
import { serving } from './helpers.js';

// Its own file: the duration buckets are one setting per process.
const BUCKETS = [0.05, 0.5, 5];

async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(['middleware', 'instrument'] as const)('the adapter mounts /metrics itself (%s)', (mode) => {
  it('serves metrics at metrics.path with its auth, 405 for other methods, process metrics, custom buckets, and never counts the scrape', async () => {
    const registry = new Registry();
    const handle = attach({ registry, families: ['http.server.request'] });
    try {
      const options = { metrics: { path: '/internal/metrics', registry, tokens: ['t0ken'] }, defaultMetrics: { prefix: 'app_' }, buckets: BUCKETS };
      const app = express();
      if (mode === 'middleware') app.use(parapet(options));
      else instrument(app, options);
      app.get('/work', (_req, res) => void res.send('done'));
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
        expect(text).toContain('app_nodejs_eventloop_lag_seconds');
        const les = [...text.matchAll(/parapet_http_server_request_duration_seconds_bucket\{route="\/work"[^}]*le="([^"]+)"/g)].map((m) => m[1]);
        expect(les).toEqual(['0.05', '0.5', '5', '+Inf']);
        // Only /work was counted: not the scrapes, the 401, nor the 405.
        expect([...text.matchAll(/^parapet_http_server_requests_total\{route="([^"]+)"[^}]*\} [1-9]/gm)].map((m) => m[1])).toEqual(['/work']);
      });
    } finally {
      await handle.close();
    }
  });
});

describe('options that must agree across the process', () => {
  it('rejects different buckets once some are set, and keeps default metrics registered once per registry', () => {
    parapet({ buckets: BUCKETS });
    expect(() => parapet({ buckets: [1, 2] })).toThrow(/already uses the buckets \[0.05, 0.5, 5\].*pass the same `buckets` to every adapter/);
    expect(() => parapet({ buckets: BUCKETS })).not.toThrow();
    const registry = new Registry();
    parapet({ defaultMetrics: true, metrics: { registry } });
    expect(() => parapet({ defaultMetrics: true, metrics: { registry } })).not.toThrow();
  });
});
