import { describeMountOptions, MOUNT_BUCKETS } from '@parapet/http-conformance';
import express from 'express';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { instrument, parapet } from '../src/index.js';
import { serving } from './helpers.js';

// Its own file: the duration buckets are one setting per process.
describeMountOptions({
  async serving(mode, options, fn) {
    const app = express();
    if (mode === 'middleware') app.use(parapet(options));
    else instrument(app, options);
    app.get('/work', (_req, res) => void res.send('done'));
    await serving(app, fn);
  },
  extraDefaultMetrics: ['app_nodejs_eventloop_lag_seconds'],
});

describe('options that must agree across the process', () => {
  it('rejects different buckets once some are set, and keeps default metrics registered once per registry', () => {
    parapet({ buckets: MOUNT_BUCKETS });
    expect(() => parapet({ buckets: [1, 2] })).toThrow(/already uses the buckets \[0.05, 0.5, 5\].*pass the same `buckets` to every adapter/);
    expect(() => parapet({ buckets: MOUNT_BUCKETS })).not.toThrow();
    const registry = new Registry();
    parapet({ defaultMetrics: true, metrics: { registry } });
    expect(() => parapet({ defaultMetrics: true, metrics: { registry } })).not.toThrow();
  });
});
