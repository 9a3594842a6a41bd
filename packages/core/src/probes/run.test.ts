import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { attach, type ParapetHandle } from '../attach.js';
import { subscribe } from '../events/channels.js';
import type { ProbeRunEvent } from '../events/types.js';
import { defineProbe } from './define.js';
import { MAX_REASON_LENGTH, runProbe } from './run.js';

function collect() {
  const events: ProbeRunEvent[] = [];
  const off = subscribe('probe.run', (e) => events.push(e));
  return { events, off };
}

describe('runProbe', () => {
  let off: (() => void) | undefined;
  let handle: ParapetHandle | undefined;
  afterEach(async () => {
    off?.();
    await handle?.detach();
    handle = undefined;
  });

  it('records success for a probe that resolves', async () => {
    const c = collect();
    off = c.off;
    const result = await runProbe(defineProbe({ name: 'ok', run: async () => {} }));
    expect(result).toMatchObject({ probe: 'ok', outcome: 'success' });
    expect(result.reason).toBeUndefined();
    expect(c.events).toEqual([result]);
  });

  it('records failure with the reason for { ok: false } and for a rejected promise', async () => {
    const explicit = await runProbe(defineProbe({ name: 'p', run: () => ({ ok: false, reason: 'db read-only' }) }));
    expect(explicit).toMatchObject({ outcome: 'failure', reason: 'db read-only' });
    const rejected = await runProbe(defineProbe({ name: 'p', run: async () => { throw new Error('ECONNREFUSED'); } }));
    expect(rejected).toMatchObject({ outcome: 'failure', reason: 'ECONNREFUSED' });
  });

  it('turns a synchronous throw into a failure instead of throwing at the caller', async () => {
    const probe = defineProbe({
      name: 'sync_throw',
      run: () => {
        throw new TypeError('boom');
      },
    });
    await expect(runProbe(probe)).resolves.toMatchObject({ outcome: 'failure', reason: 'boom' });
    // Even a thrown non-Error whose toString throws is described, not rethrown.
    const hostile = { toString: () => { throw new Error('no'); } };
    const weird = defineProbe({ name: 'weird', run: () => { throw hostile; } });
    await expect(runProbe(weird)).resolves.toMatchObject({ outcome: 'failure', reason: 'probe threw a value that cannot be described' });
  });

  it('times out a probe that never resolves, and aborts its signal', async () => {
    let signal: AbortSignal | undefined;
    const probe = defineProbe({
      name: 'hangs',
      timeoutMs: 50,
      run: (s) => {
        signal = s;
        return new Promise(() => {});
      },
    });
    const started = Date.now();
    const result = await runProbe(probe);
    expect(result).toMatchObject({ outcome: 'timeout', reason: 'no result within 50 ms' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.durationSeconds).toBeGreaterThanOrEqual(0.04);
    expect(signal?.aborted).toBe(true);
  });

  it('bounds long reasons', async () => {
    const result = await runProbe(defineProbe({ name: 'p', run: () => ({ ok: false, reason: 'x'.repeat(10_000) }) }));
    expect(result.reason).toHaveLength(MAX_REASON_LENGTH);
  });

  it('feeds parapet_probe_runs_total through attach()', async () => {
    const registry = new Registry();
    handle = attach({ registry });
    await runProbe(defineProbe({ name: 'metrics_probe', run: async () => {} }));
    await runProbe(defineProbe({ name: 'metrics_probe', run: async () => { throw new Error('x'); } }));
    const text = await registry.metrics();
    expect(text).toContain('parapet_probe_runs_total{probe="metrics_probe",outcome="success"} 1');
    expect(text).toContain('parapet_probe_runs_total{probe="metrics_probe",outcome="failure"} 1');
    expect(text).toMatch(/parapet_probe_run_duration_seconds_count\{probe="metrics_probe",outcome="success"\} 1/);
  });

  it('rejects something that is not a defined probe with a clear error', async () => {
    await expect(runProbe({ name: 'x', timeoutMs: 1, run: async () => {} })).rejects.toThrow(/defineProbe/);
  });
});
