import type { ChildProcess } from 'node:child_process';
import type { ProbeRunEvent } from '@parapet/core';
import { defineProbe } from '@parapet/core';
import { needs, redisUrl } from '@parapet/vitest-preset/services';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { BullmqOptionsError, probeSchedulerId, startBullmqProbeScheduler } from '../src/index.js';
import { exited, forkFixture, nextMessage } from './child.js';
import { connectionFor, obliterate, uniqueQueue, waitFor } from './helpers.js';

const connection = connectionFor(redisUrl);

describe.skipIf(!(await needs('redis')))('probe scheduler on BullMQ job schedulers (real Redis)', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const c of cleanup.splice(0).reverse()) await c().catch(() => {});
  });

  it('three processes sharing a schedule run each probe once per schedule slot', async () => {
    const name = uniqueQueue('probes');
    const intervalMs = 500;
    const queue = new Queue(name, { connection });
    cleanup.push(() => obliterate(queue));

    const runs: number[] = [];
    const slots: Array<{ slot: string; pid: number }> = [];
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
      child.on('message', (m: { ran?: number; slot?: string; pid: number; event?: ProbeRunEvent; error?: string }) => {
        if (m.ran !== undefined) runs.push(m.pid);
        if (m.slot !== undefined) slots.push({ slot: m.slot, pid: m.pid });
        if (m.event) events.push(m.event);
        if (m.error) errors.push(m.error);
      });
    }
    await Promise.all(children.map((c) => nextMessage(c, (m: { ready?: number }) => m.ready !== undefined, 30_000)));

    // Wait for an outcome (six schedule slots run), not for a time window.
    await waitFor('six schedule slots to run', () => new Set(slots.map((s) => s.slot)).size >= 6, { timeoutMs: 60_000, everyMs: 50 });
    await Promise.all(children.map(async (c) => {
      c.send('stop');
      await nextMessage(c, (m: { stopped?: number }) => m.stopped !== undefined, 30_000);
    }));

    // Each slot of the shared schedule ran exactly once, by one of the three processes (three
    // independent schedules would run each slot three times). However late a busy machine runs a
    // slot, it is still one run per slot: what is checked is the slot, never the gap between runs.
    const ids = slots.map((s) => s.slot);
    expect(ids.every((id) => id.startsWith(`repeat:${probeSchedulerId('heartbeat')}:`))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // The slots themselves are one interval (or, if one was missed, several) apart.
    const times = ids.map((id) => Number(id.slice(id.lastIndexOf(':') + 1))).sort((a, b) => a - b);
    times.slice(1).forEach((t, i) => expect(t - times[i]!).toBeGreaterThanOrEqual(intervalMs));
    // Every completed slot ran the probe once, through runProbe (one success event each).
    expect(runs).toHaveLength(ids.length);
    expect(events.filter((e) => e.probe === 'heartbeat' && e.outcome === 'success')).toHaveLength(ids.length);
    expect(errors).toEqual([]);
    // The shared schedule is a single BullMQ job scheduler.
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toEqual([probeSchedulerId('heartbeat')]);
  });

  it('reports a probe that hangs or throws as timeout / failure and keeps running', async () => {
    const name = uniqueQueue('probes-bad');
    const queue = new Queue(name, { connection });
    cleanup.push(() => obliterate(queue));
    const { subscribe } = await import('@parapet/core/integration');
    const events: ProbeRunEvent[] = [];
    const off = subscribe('probe.run', (e) => events.push(e));
    cleanup.push(async () => off());
    const hang = defineProbe({ name: 'hang', timeoutMs: 100, run: () => new Promise(() => {}) });
    const boom = defineProbe({ name: 'boom', timeoutMs: 100, run: () => { throw new Error('sync boom'); } });
    const scheduler = await startBullmqProbeScheduler({ connection, probes: [hang, boom], intervalMs: 300, queueName: name });
    cleanup.push(() => scheduler.close());
    const of = (probe: string) => events.filter((e) => e.probe === probe);
    await waitFor('three runs of each probe', () => of('hang').length >= 3 && of('boom').length >= 3, { timeoutMs: 60_000, everyMs: 50 });
    await scheduler.close();
    expect(scheduler.stop()).toBe(scheduler.close()); // deprecated alias, idempotent
    const hangs = of('hang');
    const booms = of('boom');
    expect(hangs.length).toBeGreaterThanOrEqual(3);
    expect(hangs.every((e) => e.outcome === 'timeout')).toBe(true);
    expect(booms.length).toBeGreaterThanOrEqual(3);
    expect(booms.every((e) => e.outcome === 'failure' && e.reason === 'sync boom')).toBe(true);
  });

  it('rejects options that cannot work, with clear errors', async () => {
    const p = defineProbe({ name: 'p', timeoutMs: 1000, run: () => {} });
    const cases: Array<[unknown, RegExp]> = [
      [{ probes: [p], intervalMs: 5000 }, /option "connection": is required/],
      [{ connection, probes: [], intervalMs: 5000 }, /option "probes": must be a non-empty array/],
      [{ connection, probes: [{ name: 'x' }], intervalMs: 5000 }, /option "probes.0": was not created with defineProbe\(\)/],
      [{ connection, probes: [p, p], intervalMs: 5000 }, /probe "p" is listed twice/],
      [{ connection, probes: [p], intervalMs: 50 }, /option "intervalMs": must be a whole number of milliseconds of at least 100, got number 50/],
      [{ connection, probes: [p], intervalMs: 1000 }, /timeoutMs 1000, which must be below intervalMs 1000/],
      [{ connection, probes: [p], intervalMs: 5000, queueName: 'a:b' }, /option "queueName": must be 1-100 characters/],
      [{ connection, probes: [p], interval: 5000 }, /unknown option "interval" \(did you mean "intervalMs"\?\)/],
    ];
    for (const [options, message] of cases) {
      const attempt = startBullmqProbeScheduler(options as never);
      await expect(attempt).rejects.toThrow(BullmqOptionsError);
      await expect(attempt).rejects.toThrow(message);
    }
  });
});
