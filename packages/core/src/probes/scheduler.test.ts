import { afterEach, describe, expect, it } from 'vitest';
import { subscribe } from '../events/channels.js';
import type { ProbeRunEvent } from '../events/types.js';
import { defineProbe, ProbeDefinitionError, type Probe } from './define.js';
import { startProbeScheduler, type ProbeScheduler } from './scheduler.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startProbeScheduler', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });
  const start = (...args: Parameters<typeof startProbeScheduler>): ProbeScheduler => {
    const s = startProbeScheduler(...args);
    cleanup.push(() => s.stop());
    return s;
  };

  it('runs each probe repeatedly at about the interval, spread by jitter', async () => {
    const starts: number[] = [];
    const probe = defineProbe({ name: 'tick', run: async () => { starts.push(Date.now()); } });
    start({ probes: [probe], intervalMs: 40, jitter: 0.5 });
    await sleep(600);
    expect(starts.length).toBeGreaterThanOrEqual(8);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    // 40 ms ± 50 %: 20..60 ms, plus timer slack.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(18);
    for (const gap of gaps) expect(gap).toBeLessThan(120);
    expect(new Set(gaps).size).toBeGreaterThan(1);
  });

  it('never overlaps runs of one probe, and a slow probe does not delay another', async () => {
    let running = 0;
    let maxRunning = 0;
    let slowRuns = 0;
    let fastRuns = 0;
    const slow = defineProbe({
      name: 'slow',
      timeoutMs: 1000,
      run: async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await sleep(120); // longer than the interval
        running--;
        slowRuns++;
      },
    });
    const fast = defineProbe({ name: 'fast', run: () => { fastRuns++; } });
    start({ probes: [slow, fast], intervalMs: 20, jitter: 0 });
    await sleep(500);
    expect(maxRunning).toBe(1);
    expect(slowRuns).toBeGreaterThanOrEqual(2);
    expect(slowRuns).toBeLessThanOrEqual(5);
    expect(fastRuns).toBeGreaterThan(10);
  });

  it('keeps scheduling after timeouts and synchronous throws, and publishes each outcome', async () => {
    const events: ProbeRunEvent[] = [];
    cleanup.push(subscribe('probe.run', (e) => events.push(e)));
    const hang = defineProbe({ name: 'hang', timeoutMs: 15, run: () => new Promise(() => {}) });
    const boom = defineProbe({ name: 'boom', run: () => { throw new Error('sync'); } });
    start({ probes: [hang, boom], intervalMs: 25, jitter: 0 });
    await sleep(300);
    const hangs = events.filter((e) => e.probe === 'hang');
    const booms = events.filter((e) => e.probe === 'boom');
    expect(hangs.length).toBeGreaterThanOrEqual(3);
    expect(hangs.every((e) => e.outcome === 'timeout')).toBe(true);
    expect(booms.length).toBeGreaterThanOrEqual(3);
    expect(booms.every((e) => e.outcome === 'failure' && e.reason === 'sync')).toBe(true);
  });

  it('stop() waits for the in-flight run and then nothing runs any more', async () => {
    let finished = 0;
    let startedRuns = 0;
    const probe = defineProbe({
      name: 'inflight',
      run: async () => {
        startedRuns++;
        await sleep(100);
        finished++;
      },
    });
    const scheduler = startProbeScheduler({ probes: [probe], intervalMs: 10, jitter: 0 });
    await sleep(30); // first run is in flight
    expect(startedRuns).toBe(1);
    const stopping = scheduler.stop();
    expect(scheduler.stop()).toBe(stopping); // idempotent
    await stopping;
    expect(finished).toBe(1);
    await sleep(60);
    expect(startedRuns).toBe(1);
  });

  it('rejects bad options with clear errors', () => {
    const p = defineProbe({ name: 'p', run: () => {} });
    const bad: Array<[unknown, RegExp]> = [
      [{ probes: [], intervalMs: 10 }, /non-empty array/],
      [{ probes: [{ name: 'x', run: () => {} }], intervalMs: 10 }, /probes\[0\] was not created with defineProbe/],
      [{ probes: [p, p], intervalMs: 10 }, /listed twice/],
      [{ probes: [p], intervalMs: 0 }, /intervalMs must be/],
      [{ probes: [p], intervalMs: 10, jitter: 1.5 }, /jitter is a fraction/],
      [{ probes: [p], intervalMs: 10, jitter: -0.1 }, /jitter is a fraction/],
    ];
    for (const [options, message] of bad) {
      expect(() => startProbeScheduler(options as { probes: Probe[]; intervalMs: number })).toThrow(ProbeDefinitionError);
      expect(() => startProbeScheduler(options as { probes: Probe[]; intervalMs: number })).toThrow(message);
    }
  });
});
