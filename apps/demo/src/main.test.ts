import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const demoDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Starts `src/main.ts` as `npm run demo` does, on a free port; resolves with its banner. */
function startDemo() {
  const child = spawn(process.execPath, ['--conditions=parapet-source', '--import', 'tsx', 'src/main.ts'], {
    cwd: demoDir,
    env: { ...process.env, PORT: '0', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const banner = new Promise<string>((resolve, reject) => {
    const check = () => (/SLOs: .*\n/.test(stdout) ? resolve(stdout) : undefined);
    child.stdout.on('data', check);
    void exited.then((code) => reject(new Error(`demo exited (${code}) before its banner:\n${stdout}\n${stderr}`)));
  });
  return { child, banner, exited, output: () => ({ stdout, stderr }) };
}

describe('the demo process (src/main.ts)', () => {
  it('prints a metrics command with the token it configured, and stops cleanly on SIGINT and SIGTERM', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const demo = startDemo();
      const banner = await demo.banner;
      const url = /Parapet demo on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
      const token = /-H "Authorization: Bearer ([^"]+)"/.exec(banner)?.[1];
      expect(url).toBeDefined();
      expect(token).toBe('demo-metrics-token');
      expect(banner).toContain(`curl -s -H "Authorization: Bearer ${token}" ${url}/metrics | grep ^parapet_`);
      // The printed command's request, as curl sends it: authorized with the token, refused without.
      expect((await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      expect((await fetch(`${url}/metrics`)).status).toBe(401);

      demo.child.kill(signal);
      expect(await demo.exited).toBe(0);
      const { stdout, stderr } = demo.output();
      expect(stderr).toBe('');
      expect(stdout.slice(banner.length)).toBe(`Parapet demo stopped (${signal}).\n`);
    }
  });
});
