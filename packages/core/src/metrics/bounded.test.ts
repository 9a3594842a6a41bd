import { describe, expect, it } from 'vitest';
import { defineMetric } from '../catalog/define.js';
import { jobRuns } from '../catalog/catalog.js';
import { publishJobRun } from '../events/publish.js';
import { find } from '@parapet/vitest-preset/exposition';
import { withParapet } from '../../test/harness.js';

const tenants = defineMetric({ name: 'test_tenant_requests_total', type: 'counter', help: 'h', labels: ['tenant'], maxSeries: 50 });

describe('series cap', () => {
  it('keeps 100,000 distinct raw values within the cap plus one overflow series, and counts the overflow', async () => {
    await withParapet(async ({ handle, scrape }) => {
      const metric = handle.metrics.counter(tenants);
      for (let i = 0; i < 100_000; i++) metric.labels({ tenant: `tenant-${i}` }).inc(1);

      const samples = await scrape();
      const series = find(samples, 'test_tenant_requests_total');
      expect(series).toHaveLength(51);
      expect(find(samples, 'test_tenant_requests_total', { tenant: '_overflow' })[0]?.value).toBe(100_000 - 50);
      // Nothing is lost: every recording is in some series.
      expect(series.reduce((sum, s) => sum + s.value, 0)).toBe(100_000);
      expect(find(samples, 'parapet_series_overflow_total', { metric: 'test_tenant_requests_total' })[0]?.value).toBe(99_950);
    });
  });

  it('applies the attach-wide default cap to catalog metrics fed through events', async () => {
    await withParapet(
      async ({ scrape }) => {
        for (let i = 0; i < 100_000; i++) publishJobRun({ queue: 'mail', job: `job-${i}`, outcome: 'completed' });
        const series = find(await scrape(), jobRuns.name);
        expect(series).toHaveLength(21);
        expect(series.filter((s) => s.labels.job === '_overflow')).toHaveLength(1);
      },
      { maxSeriesPerMetric: 20 },
    );
  });

  it('bounds label values: closed sets, long and empty values, undeclared labels', async () => {
    await withParapet(async ({ handle, scrape }) => {
      const runs = handle.metrics.counter(jobRuns);
      runs.labels({ queue: 'q'.repeat(500), job: '', outcome: 'exploded', attempt: '1' }).inc(1);
      expect(find(await scrape(), jobRuns.name)[0]?.labels).toEqual({ queue: '_too_long', job: '_none', outcome: '_other', attempt: '1' });
      expect(() => runs.labels({ queue: 'q', job: 'j', outcome: 'completed', attempt: '1', user_id: '42' })).toThrow(
        'Metric "parapet_job_runs_total" has no label "user_id"; declared labels: queue, job, outcome, attempt.',
      );
    });
  });
});
