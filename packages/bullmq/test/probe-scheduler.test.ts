import type { ChildProcess } from 'node:child_process';
import type { ProbeRunEvent } from '@parapet/core';
import { defineProbe } from '@parapet/core';
import { needs, redisUrl } from '@parapet/vitest-preset/services';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { BullmqOptionsError, probeSchedulerId, startBullmqProbeScheduler } from '../src/index.js';
import { exited, forkFixture, nextMessage } from './child.js';
import { connectionFor, obliterate, sleep, uniqueQueue } from './helpers.js';

const connection = connectionFor(redisUrl);

describe.skipIf(!(await needs('redis')))('probe scheduler on BullMQ job schedulers (real Redis)', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const c of cleanup.splice(0).reverse()) await c().catch(() => {});
  });

  it('three processes sharing a schedule run each probe once per interval', async () => {
    const name = uniqueQueue('probes');
    const intervalMs = 500;
    const queue = new Queue(name, { connection });
    cleanup.push(() => obliterate(queue));

    const runs: Array<{ ran: number; pid: number }> = [];
    const events: ProbeRunEvent[] = [];
    const errors: string[] = [];
    const children: ChildProcess[] = [];
    for (let i = 0; i < 3; i++) {
      const child = forkFixture('probe-process.ts', { REDIS_URL: redisUrl, QUEUE: name, INTERVAL_MS: String(intervalMs) });
      children.push(child);
      cleanup.push(async () => {
        child.kill('SIGKILL');
        await exited(child);
      });
      child.on('message', (m: { ran?: number; pid: number; event?: ProbeRunEvent; error?: string }) => {
        if (m.ran !== undefined) runs.push({ ran: m.ran, pid: m.pid });
        if (m.event) events.push(m.event);
        if (m.error) errors.push(m.error);
      });
    }
    await Promise.all(children.map((c) => nextMessage(c, (m: { ready?: number }) => m.ready !== undefined, 20_000)));

    const windowStart = Date.now();
    runs.length = 0;
    events.length = 0;
    await sleep(4_000);
    const observed = runs.filter((r) => r.ran >= windowStart);
    const windowMs = Date.now() - windowStart;
    await Promise.all(children.map(async (c) => {
      c.send('stop');
      await nextMessage(c, (m: { stopped?: number }) => m.stopped !== undefined);
    }));

    // One run per interval in total, not one per process (3× would be ~24).
    const expected = windowMs / intervalMs;
    expect(observed.length).toBeGreaterThanOrEqual(Math.floor(expected) - 1);
    expect(observed.length).toBeLessThanOrEqual(Math.ceil(expected) + 1);
    // Never two runs in one interval: consecutive runs are about an interval apart.
    const times = observed.map((r) => r.ran).sort((a, b) => a - b);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThan(intervalMs * 0.6);
    // Every run went through runProbe: one success event each, recorded by the process that ran it.
    expect(events.filter((e) => e.probe === 'heartbeat' && e.outcome === 'success').length).toBeGreaterThanOrEqual(observed.length);
    expect(errors).toEqual([]);
    // The shared schedule is a single BullMQ job scheduler.
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toEqual([probeSchedulerId('heartbeat')]);
  });

  it('reports a probe that hangs or throws as timeout / failure and keeps running', async () => {
    const name = uniqueQueue('probes-bad');
    const queue = new Queue(name, { connection });
    cleanup.push(() => obliterate(queue));
    const { subscribe } = await import('@parapet/core');
    const events: ProbeRunEvent[] = [];
    const off = subscribe('probe.run', (e) => events.push(e));
    cleanup.push(async () => off());
    const hang = defineProbe({ name: 'hang', timeoutMs: 100, run: () => new Promise(() => {}) });
    const boom = defineProbe({ name: 'boom', timeoutMs: 100, run: () => { throw new Error('sync boom'); } });
    const scheduler = await startBullmqProbeScheduler({ connection, probes: [hang, boom], intervalMs: 300, queueName: name });
    cleanup.push(() => scheduler.stop());
    await sleep(1_400);
    await scheduler.stop();
    const hangs = events.filter((e) => e.probe === 'hang');
    const booms = events.filter((e) => e.probe === 'boom');
    expect(hangs.length).toBeGreaterThanOrEqual(3);
    expect(hangs.every((e) => e.outcome === 'timeout')).toBe(true);
    expect(booms.length).toBeGreaterThanOrEqual(3);
    expect(booms.every((e) => e.outcome === 'failure' && e.reason === 'sync boom')).toBe(true);
  });

  it('rejects options that cannot work, with clear errors', async () => {
    const p = defineProbe({ name: 'p', timeoutMs: 1000, run: () => {} });
    const cases: Array<[unknown, RegExp]> = [
      [{ probes: [p], intervalMs: 5000 }, /connection is required/],
      [{ connection, probes: [], intervalMs: 5000 }, /non-empty array/],
      [{ connection, probes: [{ name: 'x' }], intervalMs: 5000 }, /defineProbe/],
      [{ connection, probes: [p, p], intervalMs: 5000 }, /listed twice/],
      [{ connection, probes: [p], intervalMs: 50 }, /at least 100/],
      [{ connection, probes: [p], intervalMs: 1000 }, /must be below intervalMs/],
      [{ connection, probes: [p], intervalMs: 5000, queueName: 'a:b' }, /queueName/],
    ];
    for (const [options, message] of cases) {
      const attempt = startBullmqProbeScheduler(options as never);
      await expect(attempt).rejects.toThrow(BullmqOptionsError);
      await expect(attempt).rejects.toThrow(message);
    }
  });
});
