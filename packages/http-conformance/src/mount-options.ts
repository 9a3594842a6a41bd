import { attach } from '@parapet/core';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { waitFor } from '@parapet/vitest-preset/processes';

/** Duration buckets the mount-options cases set; they are one setting per process, so run the cases in their own file. */
export const MOUNT_BUCKETS = [0.05, 0.5, 5];

export type MountMode = 'middleware' | 'instrument';

/** The adapter options the mount-options cases pass (`parapet(options)` or `instrument(app, options)`). */
export interface MountOptions {
  metrics: { path: string; registry: Registry; tokens: string[] };
  defaultMetrics: { prefix: string };
  buckets: number[];
}

export interface MountOptionsTarget {
  /**
   * Serves a fresh app with the adapter mounted in `mode` with `options` and a `GET /work` route
   * answering `done`, calls `fn` with its base URL, and closes it afterwards.
   */
  serving(mode: MountMode, options: MountOptions, fn: (url: string) => Promise<void>): Promise<void>;
  /** Default-metric names (with the `app_` prefix) expected besides `app_process_cpu_user_seconds_total`. */
  extraDefaultMetrics?: string[];
}

const until = (check: () => Promise<boolean>) => waitFor('the condition', check, { timeoutMs: 15_000, everyMs: 20 });

/** The adapter serves /metrics itself: path, auth, 405s, default metrics, custom buckets, scrapes never counted. */
export function describeMountOptions(target: MountOptionsTarget): void {
  describe.each(['middleware', 'instrument'] as const)('the adapter mounts /metrics itself (%s)', (mode) => {
    it('serves metrics at metrics.path with its auth, 405 for other methods, process metrics, custom buckets, and never counts the scrape', async () => {
      const registry = new Registry();
      const handle = attach({ registry, families: ['http.server.request'] });
      try {
        const options: MountOptions = { metrics: { path: '/internal/metrics', registry, tokens: ['t0ken'] }, defaultMetrics: { prefix: 'app_' }, buckets: MOUNT_BUCKETS };
        await target.serving(mode, options, async (url) => {
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
          for (const name of target.extraDefaultMetrics ?? []) expect(text).toContain(name);
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
}
