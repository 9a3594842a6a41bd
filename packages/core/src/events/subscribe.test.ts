import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { subscribe } from './channels.js';
import { publishJourneyStep } from './publish.js';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const fixture = fileURLToPath(new URL('../../test/fixtures/throwing-subscriber.ts', import.meta.url));

/** Run the host fixture in its own process, so a crash is a real crash and not a vitest error. */
async function host(mode: 'guarded' | 'plain') {
  try {
    const { stdout } = await run(process.execPath, ['--conditions=parapet-source', '--import', 'tsx', fixture, mode], { cwd: packageDir, timeout: 60_000 });
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('subscribe() is guarded', () => {
  it('a throwing third-party subscriber does not crash the host; it is counted and logged, and others still get the event', async () => {
    const result = await host('guarded');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { survived: boolean; delivered: number; logs: string[]; metrics: string };
    expect(out.survived).toBe(true);
    expect(out.delivered).toBe(3);
    expect(out.metrics).toContain('parapet_internal_errors_total{component="core.subscriber"} 3');
    expect(out.metrics).toContain('parapet_journey_steps_total{journey="login",step="login",outcome="success"} 3');
    expect(out.logs).toHaveLength(1); // rate-limited: three errors, one line
    expect(out.logs[0]).toMatch(/subscriber "audit-log" of a Parapet channel threw: third-party subscriber bug/);
  }, 90_000);

  it('(Node behaviour, documented) a plain diagnostics_channel subscriber that throws crashes the host', async () => {
    const result = await host('plain');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('third-party subscriber bug');
  }, 90_000);

  it('hands the error to onError when given, and a throwing onError is still contained', () => {
    const onError = vi.fn();
    const console_ = vi.spyOn(console, 'error').mockImplementation(() => {});
    const off = subscribe('journey.step', () => { throw new Error('x'); }, { onError });
    const offBad = subscribe('journey.step', () => { throw new Error('y'); }, { onError: () => { throw new Error('z'); } });
    try {
      expect(() => publishJourneyStep({ journey: 'j', outcome: 'success' })).not.toThrow();
      expect(onError).toHaveBeenCalledWith(new Error('x'));
      // No attachment is live here: the secondary fault is logged to the console instead of counted.
      expect(console_).toHaveBeenCalledWith(expect.stringMatching(/\[parapet\] a subscriber of a Parapet channel threw: z/), expect.anything());
    } finally {
      off();
      offBad();
      console_.mockRestore();
    }
  });

  it('validates its arguments', () => {
    expect(() => subscribe('http.request' as never, () => {})).toThrow(/unknown event family "http.request"/);
    expect(() => subscribe('job.run', () => {}, { onErorr: () => {} } as never)).toThrow(/unknown option "onErorr" \(did you mean "onError"\?\)/);
  });
});
