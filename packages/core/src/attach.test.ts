import client from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { attach, AttachError, type Integration, type ParapetHandle } from './attach.js';
import { ParapetError } from './errors/parapet-error.js';
import { channelOf } from './events/channels.js';
import { publishJobQueueSample, publishJobRun } from './events/publish.js';
import { find, parseExposition } from '@parapet/vitest-preset/exposition';

const quiet = { warn: vi.fn(), error: vi.fn() };
const handles: ParapetHandle[] = [];
const attachTest = (options: Parameters<typeof attach>[0] = {}) => {
  const handle = attach({ registry: new client.Registry(), logger: quiet, ...options });
  handles.push(handle);
  return handle;
};
afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.close()));
});
const scrape = async (h: ParapetHandle) => parseExposition(await h.registry!.metrics());

describe('attach()', () => {
  it('subscribes while attached and stops recording after close', async () => {
    const handle = attachTest();
    expect(channelOf('job.run').hasSubscribers).toBe(true);
    publishJobRun({ queue: 'q', job: 'j', outcome: 'completed' });
    expect(find(await scrape(handle), 'parapet_job_runs_total')[0]?.value).toBe(1);
    await handle.close();
    await handle.close(); // idempotent
    await handle.detach(); // deprecated alias of close()
    expect(channelOf('job.run').hasSubscribers).toBe(false);
    expect(handle.registry!.getSingleMetric('parapet_job_runs_total')).toBeUndefined();
  });

  it('sets up integrations with a context and tears them down on close', async () => {
    const calls: string[] = [];
    const adapter: Integration = {
      name: 'demo-lib',
      setup(ctx) {
        calls.push('setup');
        ctx.reportError('demo-lib.poll', new Error('upstream down'));
        return () => void calls.push('teardown');
      },
    };
    const handle = attachTest({ integrations: [adapter] });
    expect(handle.integrations).toEqual(['demo-lib']);
    expect(find(await scrape(handle), 'parapet_internal_errors_total', { component: 'demo-lib.poll' })[0]?.value).toBe(1);
    await handle.close();
    expect(calls).toEqual(['setup', 'teardown']);
  });

  it('rejects an adapter listed twice or attached twice, naming it', () => {
    const adapter: Integration = { name: 'twice', setup() {} };
    expect(() => attachTest({ integrations: [adapter, adapter] })).toThrow(AttachError);
    expect(() => attachTest({ integrations: [adapter, adapter] })).toThrow('attach(): integration "twice" is listed twice. List each integration once.');
    attachTest({ integrations: [adapter] });
    expect(() => attachTest({ integrations: [adapter] })).toThrow(/integration "twice" is already attached. Call close\(\)/);
  });

  it('rejects unknown integrations with a fix', () => {
    expect(() => attachTest({ integrations: ['bullmq' as never] })).toThrow(
      /integrations\[0\] is the string "bullmq", which is not a Parapet integration. Pass the integration object/,
    );
    expect(() => attachTest({ integrations: [{ name: 'half' } as never] })).toThrow(/an object named "half" without a setup\(\) function/);
  });

  it('refuses a second live attachment on the same registry instead of double counting', async () => {
    const registry = new client.Registry();
    const first = attachTest({ registry });
    expect(() => attachTest({ registry })).toThrow(/already attached to this prom-client registry/);
    await first.close();
    expect(() => attachTest({ registry })).not.toThrow();
  });

  it('undoes a half-finished attach when an adapter throws in setup', async () => {
    const registry = new client.Registry();
    const teardown = vi.fn();
    const ok: Integration = { name: 'ok', setup: () => teardown };
    const broken: Integration = { name: 'broken', setup() { throw new Error('missing option "queue"'); } };
    expect(() => attach({ registry, logger: quiet, integrations: [ok, broken] })).toThrow('attach(): integration "broken" failed to set up: missing option "queue"');
    await new Promise((r) => setTimeout(r, 0));
    expect(teardown).toHaveBeenCalledOnce();
    expect(channelOf('job.run').hasSubscribers).toBe(false);
    expect(registry.getMetricsAsArray()).toHaveLength(0);
    attachTest({ registry, integrations: [ok] }); // nothing left behind
  });

  it('catches a throwing subscriber: the publisher is undisturbed and the error is counted', async () => {
    quiet.error.mockClear();
    const handle = attachTest();
    const uncaught = vi.fn();
    process.on('uncaughtException', uncaught);
    try {
      // counts: null makes the queue-sample recorder throw inside the subscriber.
      expect(() => publishJobQueueSample({ queue: 'q', counts: null as never })).not.toThrow();
      expect(() => publishJobQueueSample({ queue: 'q', counts: null as never })).not.toThrow();
      await new Promise((r) => setTimeout(r, 10));
      publishJobQueueSample({ queue: 'q', counts: { waiting: 3 } });
      const samples = await scrape(handle);
      expect(find(samples, 'parapet_internal_errors_total', { component: 'core.recorder.job_queue_sample' })[0]?.value).toBe(2);
      expect(find(samples, 'parapet_queue_jobs', { state: 'waiting' })[0]?.value).toBe(3);
      expect(uncaught).not.toHaveBeenCalled();
      expect(quiet.error).toHaveBeenCalledTimes(1); // rate-limited: two errors, one log line
    } finally {
      process.off('uncaughtException', uncaught);
    }
  });

  it('records into two attachments at once (e.g. two sinks) without interference', async () => {
    const a = attachTest();
    const b = attachTest({ families: ['job.run'] });
    publishJobRun({ queue: 'q', job: 'j', outcome: 'failed' });
    publishJobQueueSample({ queue: 'q', counts: { waiting: 1 } });
    expect(find(await scrape(a), 'parapet_job_runs_total')[0]?.value).toBe(1);
    expect(find(await scrape(b), 'parapet_job_runs_total')[0]?.value).toBe(1);
    expect(find(await scrape(b), 'parapet_queue_jobs')).toHaveLength(0);
  });

  it('validates its options: a misspelt key is an error naming the right one', () => {
    expect(() => attach({ registy: new client.Registry() } as never)).toThrow(ParapetError);
    expect(() => attach({ registy: new client.Registry() } as never)).toThrow(/unknown option "registy" \(did you mean "registry"\?\)/);
    expect(() => attach({ registry: {} as never })).toThrow(/option "registry": must be a prom-client Registry/);
    expect(() => attach({ families: ['http.request'] as never })).toThrow(/option "families.0" must be one of "http.server.request"/);
    expect(() => attach({ maxSeriesPerMetric: 0 })).toThrow(/maxSeriesPerMetric/);
    try {
      attach({ registy: 1 } as never);
    } catch (error) {
      expect((error as ParapetError).code).toBe('INVALID_OPTIONS');
    }
    expect(channelOf('job.run').hasSubscribers).toBe(false); // nothing half-attached
  });

  it('accepts the deprecated `adapters` name, warning once, and rejects both names together', async () => {
    const warn = vi.fn();
    const logger = { warn, error: vi.fn() };
    const integration: Integration = { name: 'legacy', setup() {} };
    const first = attachTest({ adapters: [integration], logger });
    expect(first.integrations).toEqual(['legacy']);
    expect(first.adapters).toEqual(['legacy']);
    await first.close();
    attachTest({ adapters: [integration], logger });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/attach\(\{ adapters \}\) is deprecated.*attach\(\{ integrations \}\)/);
    expect(() => attachTest({ adapters: [], integrations: [] })).toThrow(/pass `integrations` only/);
  });

  it('closes with await using, and tears down an integration that returns a Closeable', async () => {
    const closed = vi.fn();
    const integration: Integration = { name: 'closeable-lib', setup: () => ({ close: closed }) };
    {
      await using handle = attach({ registry: new client.Registry(), logger: quiet, integrations: [integration] });
      expect(handle.integrations).toEqual(['closeable-lib']);
      expect(channelOf('job.run').hasSubscribers).toBe(true);
    }
    expect(closed).toHaveBeenCalledOnce();
    expect(channelOf('job.run').hasSubscribers).toBe(false);
  });

  it('counts a failing integration teardown under core.integration_close', async () => {
    const registry = new client.Registry();
    const handle = attach({ registry, logger: quiet, integrations: [{ name: 'bad-close', setup: () => () => { throw new Error('nope'); } }] });
    const scraped: string[] = [];
    // The registry is emptied by close(), so read the counter from the runtime's sink before that.
    const spy = vi.spyOn(handle.metrics, 'reportError').mockImplementation((component) => void scraped.push(component));
    await handle.close();
    expect(scraped).toEqual(['core.integration_close']);
    spy.mockRestore();
  });

  it('serves its own registry from handle.metricsHandler()', async () => {
    const handle = attachTest();
    publishJobRun({ queue: 'q', job: 'j', outcome: 'completed' });
    const response = await handle.metricsHandler({ public: true })(new Request('http://app.test/metrics'));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('parapet_job_runs_total{queue="q",job="j",outcome="completed",attempt="1"} 1');
    expect(() => handle.metricsHandler({ registry: new client.Registry() } as never)).toThrow(/serves this attachment's registry/);
    expect(() => handle.metricsHandler({ token: 'x' } as never)).toThrow(/did you mean "tokens"/);
  });
});
