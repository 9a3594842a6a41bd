import { afterEach, describe, expect, it, vi } from 'vitest';
import { report } from './services.js';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('needs()', () => {
  it('skips loudly outside CI when a service is missing', () => {
    vi.stubEnv('CI', '');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(report(['redis'])).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('SKIPPING tests: missing service(s): redis. Run `npm run services`'));
  });

  it('fails the run in CI when a service is missing', () => {
    vi.stubEnv('CI', 'true');
    expect(() => report(['promtool', 'amtool'])).toThrow('[parapet] CI=true and missing service(s): promtool, amtool.');
  });

  it('passes when nothing is missing', () => {
    expect(report([])).toBe(true);
  });

  it('detects a closed port as missing', async () => {
    vi.stubEnv('CI', '');
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.stubEnv('REDIS_URL', 'redis://127.0.0.1:1');
    vi.resetModules();
    const fresh = await import('./services.js');
    expect(await fresh.needs('redis')).toBe(false);
  });
});
