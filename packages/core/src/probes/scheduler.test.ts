import { afterEach, describe, expect, it } from 'vitest';
import { subscribe } from '../events/channels.js';
import type { ProbeRunEvent } from '../events/types.js';
import { ParapetError } from '../errors/parapet-error.js';
import { defineProbe, type Probe } from './define.js';
import { startProbeScheduler, type ProbeScheduler } from './scheduler.js';
import { waitFor } from '@parapet/vitest-preset/processes';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll until `check()` holds; fail after a generous deadline (outcomes, not speed). */
const until = (what: string, check: () => boolean, timeoutMs = 20_000) => waitFor(what, check, { timeoutMs, everyMs: 5 });

describe('startProbeScheduler', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });
  const start = (...args: Parameters<typeof startProbeScheduler>): ProbeScheduler => {
    const s = startProbeScheduler(...args);
    cleanup.push(() => s.close());
    return s;
  };

  it('runs each probe repeatedly at about the interval, spread by jitter', async () => {
    const starts: number[] = [];
    const probe = defineProbe({ name: 'tick', run: async () => { starts.push(Date.now()); } });
    start({ probes: [probe], intervalMs: 40, jitter: 0.5 });
    await until('8 runs', () => starts.length >= 8);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    // 40 ms ± 50 %: never sooner than 20 ms (timers do not fire early; 2 ms for clock rounding).
    // A busy machine may make gaps longer, so there is no upper bound here.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(18);
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
    // The fast probe keeps its own loop while a slow run is in flight (it would not, were it
    // queued behind the slow one): counted as an outcome, whatever the machine's speed.
    let fastWhileSlowRuns = 0;
    const fast = defineProbe({ name: 'fast', run: () => { fastRuns++; if (running > 0) fastWhileSlowRuns++; } });
    start({ probes: [slow, fast], intervalMs: 20, jitter: 0 });
    await until('2 slow runs and fast runs during them', () => slowRuns >= 2 && fastWhileSlowRuns >= 2);
    expect(maxRunning).toBe(1);
    expect(fastRuns).toBeGreaterThanOrEqual(fastWhileSlowRuns);
  });

  it('keeps scheduling after timeouts and synchronous throws, and publishes each outcome', async () => {
    const events: ProbeRunEvent[] = [];
    cleanup.push(subscribe('probe.run', (e) => events.push(e)));
    const hang = defineProbe({ name: 'hang', timeoutMs: 15, run: () => new Promise(() => {}) });
    const boom = defineProbe({ name: 'boom', run: () => { throw new Error('sync'); } });
    start({ probes: [hang, boom], intervalMs: 25, jitter: 0 });
    const of = (probe: string) => events.filter((e) => e.probe === probe);
    await until('3 runs of each probe', () => of('hang').length >= 3 && of('boom').length >= 3);
    const hangs = of('hang');
    const booms = of('boom');
    expect(hangs.length).toBeGreaterThanOrEqual(3);
    expect(hangs.every((e) => e.outcome === 'timeout')).toBe(true);
    expect(booms.length).toBeGreaterThanOrEqual(3);
    expect(booms.every((e) => e.outcome === 'failure' && e.reason === 'sync')).toBe(true);
  });

  it('close() waits for the in-flight run and then nothing runs any more', async () => {
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
    await until('the first run to start', () => startedRuns === 1);
    const stopping = scheduler.close();
    expect(scheduler.close()).toBe(stopping); // idempotent
    expect(scheduler.stop()).toBe(stopping); // deprecated alias
    await stopping;
    expect(finished).toBe(1);
    await sleep(60);
    expect(startedRuns).toBe(1);
  });

  it('is a Closeable: await using stops it, stop() stays as a deprecated alias', async () => {
    let runs = 0;
    const probe = defineProbe({ name: 'disposable', run: () => { runs++; } });
    {
      await using scheduler = startProbeScheduler({ probes: [probe], intervalMs: 5, jitter: 0 });
      expect(scheduler.stop).toBe(scheduler.close);
      const deadline = Date.now() + 10_000;
      while (runs === 0 && Date.now() < deadline) await sleep(5);
    }
    const after = runs;
    expect(after).toBeGreaterThan(0);
    await sleep(50);
    expect(runs).toBe(after);
  });

  it('rejects bad options with clear errors', () => {
    const p = defineProbe({ name: 'p', run: () => {} });
    const bad: Array<[unknown, RegExp]> = [
      [{ probes: [], intervalMs: 10 }, /non-empty array/],
      [{ probes: [{ name: 'x', run: () => {} }], intervalMs: 10 }, /option "probes.0": was not created with defineProbe\(\) \(got an object\)/],
      [{ probes: [p, p], intervalMs: 10 }, /probe "p" is listed twice/],
      [{ probes: [p], intervalMs: 0 }, /option "intervalMs": must be a whole number of milliseconds between 1 and 2147483647, got number 0/],
      [{ probes: [p], intervalMs: 10, jitter: 1.5 }, /option "jitter": is a fraction of the interval between 0 and 1, got number 1.5/],
      [{ probes: [p], intervalMs: 10, jitter: -0.1 }, /jitter": is a fraction/],
      [{ probes: [p], interval: 10 }, /unknown option "interval" \(did you mean "intervalMs"\?\)/],
    ];
    for (const [options, message] of bad) {
      expect(() => startProbeScheduler(options as { probes: Probe[]; intervalMs: number })).toThrow(ParapetError);
      expect(() => startProbeScheduler(options as { probes: Probe[]; intervalMs: number })).toThrow(message);
    }
  });
});
