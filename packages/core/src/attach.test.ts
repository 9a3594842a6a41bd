import client from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { attach, AttachError, type Integration, type ParapetHandle } from './attach.js';
import { channelOf } from './events/channels.js';
import { publishJobRun, publishQueueSample } from './events/publish.js';
import { find, parseExposition } from '@parapet/vitest-preset/exposition';

const quiet = { warn: vi.fn(), error: vi.fn() };
const handles: ParapetHandle[] = [];
const attachTest = (options: Parameters<typeof attach>[0] = {}) => {
  const handle = attach({ registry: new client.Registry(), logger: quiet, ...options });
  handles.push(handle);
  return handle;
};
afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.detach()));
});
const scrape = async (h: ParapetHandle) => parseExposition(await h.registry!.metrics());

describe('attach()', () => {
  it('subscribes while attached and stops recording after detach', async () => {
    const handle = attachTest();
    expect(channelOf('job.run').hasSubscribers).toBe(true);
    publishJobRun({ queue: 'q', job: 'j', outcome: 'completed' });
    expect(find(await scrape(handle), 'parapet_job_runs_total')[0]?.value).toBe(1);
    await handle.detach();
    await handle.detach(); // idempotent
    expect(channelOf('job.run').hasSubscribers).toBe(false);
    expect(handle.registry!.getSingleMetric('parapet_job_runs_total')).toBeUndefined();
  });

  it('sets up adapters with a context and tears them down on detach', async () => {
    const calls: string[] = [];
    const adapter: Integration = {
      name: 'demo-lib',
      setup(ctx) {
        calls.push('setup');
        ctx.reportError('demo-lib.poll', new Error('upstream down'));
        return () => void calls.push('teardown');
      },
    };
    const handle = attachTest({ adapters: [adapter] });
    expect(handle.adapters).toEqual(['demo-lib']);
    expect(find(await scrape(handle), 'parapet_internal_errors_total', { component: 'demo-lib.poll' })[0]?.value).toBe(1);
    await handle.detach();
    expect(calls).toEqual(['setup', 'teardown']);
  });

  it('rejects an adapter listed twice or attached twice, naming it', () => {
    const adapter: Integration = { name: 'twice', setup() {} };
    expect(() => attachTest({ adapters: [adapter, adapter] })).toThrow(new AttachError('attach(): adapter "twice" is listed twice. List each adapter once.'));
    attachTest({ adapters: [adapter] });
    expect(() => attachTest({ adapters: [adapter] })).toThrow(/adapter "twice" is already attached. Call detach\(\)/);
  });

  it('rejects unknown adapters with a fix', () => {
    expect(() => attachTest({ adapters: ['bullmq' as never] })).toThrow(
      /adapters\[0\] is the string "bullmq", which is not a Parapet integration. Pass the integration object/,
    );
    expect(() => attachTest({ adapters: [{ name: 'half' } as never] })).toThrow(/an object named "half" without a setup\(\) function/);
  });

  it('refuses a second live attachment on the same registry instead of double counting', async () => {
    const registry = new client.Registry();
    const first = attachTest({ registry });
    expect(() => attachTest({ registry })).toThrow(/already attached to this prom-client registry/);
    await first.detach();
    expect(() => attachTest({ registry })).not.toThrow();
  });

  it('undoes a half-finished attach when an adapter throws in setup', async () => {
    const registry = new client.Registry();
    const teardown = vi.fn();
    const ok: Integration = { name: 'ok', setup: () => teardown };
    const broken: Integration = { name: 'broken', setup() { throw new Error('missing option "queue"'); } };
    expect(() => attach({ registry, logger: quiet, adapters: [ok, broken] })).toThrow('attach(): adapter "broken" failed to set up: missing option "queue"');
    await new Promise((r) => setTimeout(r, 0));
    expect(teardown).toHaveBeenCalledOnce();
    expect(channelOf('job.run').hasSubscribers).toBe(false);
    expect(registry.getMetricsAsArray()).toHaveLength(0);
    attachTest({ registry, adapters: [ok] }); // nothing left behind
  });

  it('catches a throwing subscriber: the publisher is undisturbed and the error is counted', async () => {
    quiet.error.mockClear();
    const handle = attachTest();
    const uncaught = vi.fn();
    process.on('uncaughtException', uncaught);
    try {
      // counts: null makes the queue-sample recorder throw inside the subscriber.
      expect(() => publishQueueSample({ queue: 'q', counts: null as never })).not.toThrow();
      expect(() => publishQueueSample({ queue: 'q', counts: null as never })).not.toThrow();
      await new Promise((r) => setTimeout(r, 10));
      publishQueueSample({ queue: 'q', counts: { waiting: 3 } });
      const samples = await scrape(handle);
      expect(find(samples, 'parapet_internal_errors_total', { component: 'recorder:job.queue_sample' })[0]?.value).toBe(2);
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
    publishQueueSample({ queue: 'q', counts: { waiting: 1 } });
    expect(find(await scrape(a), 'parapet_job_runs_total')[0]?.value).toBe(1);
    expect(find(await scrape(b), 'parapet_job_runs_total')[0]?.value).toBe(1);
    expect(find(await scrape(b), 'parapet_queue_jobs')).toHaveLength(0);
  });
});
