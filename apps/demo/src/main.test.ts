import { spawn } from 'node:child_process';
import { fakeWorkbenchBundle } from '../test/fake-bundle.js';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const demoDir = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Children still running when a test ends (it failed or timed out) are killed, never left behind. */
const workbenchDir = fakeWorkbenchBundle();
const running = new Set<ReturnType<typeof spawn>>();
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});

/** Starts `src/main.ts` as `npm run demo` does, on a free port; resolves with its banner. */
function startDemo(env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--conditions=parapet-source', '--import', 'tsx', 'src/main.ts', '--traffic-rate', '0'], {
    cwd: demoDir,
    env: { ...process.env, PORT: '0', NODE_OPTIONS: '', DATABASE_URL: '', REDIS_URL: '', PARAPET_WORKBENCH_DIR: workbenchDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
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
  it('prints the tokens it generated and commands that use them, and stops cleanly on SIGINT and SIGTERM', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const demo = startDemo();
      const banner = await demo.banner;
      const url = /Parapet demo on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
      const metricsToken = /PARAPET_METRICS_TOKENS=(\S+)/.exec(banner)?.[1];
      const operatorToken = /PARAPET_OPERATOR_TOKENS=demo:(\S+)/.exec(banner)?.[1];
      expect(url).toBeDefined();
      expect(metricsToken).toMatch(/^demo_metrics_[0-9a-f]{16}$/);
      expect(banner).toMatch(/PARAPET_WEBHOOK_TOKENS=demo_webhook_[0-9a-f]{16}/);
      expect(banner).toContain('no REDIS_URL, so BullMQ is off');
      expect(banner).toContain(`curl -s -H "Authorization: Bearer ${metricsToken}" ${url}/metrics | grep ^parapet_`);
      expect((await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).status).toBe(200);
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
      expect((await fetch(`${url}/parapet/api/incidents`, { headers: { authorization: `Bearer ${operatorToken}` } })).status).toBe(200);

      demo.child.kill(signal);
      expect(await demo.exited).toBe(0);
      const { stdout, stderr } = demo.output();
      expect(stderr).toBe('');
      expect(stdout.slice(banner.length)).toBe(`Parapet demo stopped (${signal}).\n`);
    }
  }, 120_000);

  it('uses the tokens it is given and prints none as generated', async () => {
    const demo = startDemo({ PARAPET_METRICS_TOKENS: 'metrics-0123456789abcdef', PARAPET_WEBHOOK_TOKENS: 'webhook-0123456789abcdef', PARAPET_DEPLOY_TOKENS: 'deploy-0123456789abcdef', PARAPET_OPERATOR_TOKENS: 'alice:alice-0123456789abcdef,bob:bob-0123456789abcdef' });
    const banner = await demo.banner;
    expect(banner).not.toContain('generated tokens');
    expect(banner).toContain('operator alice acts with Authorization: Bearer alice-0123456789abcdef');
    demo.child.kill('SIGTERM');
    expect(await demo.exited).toBe(0);
  }, 60_000);

  it('refuses an unknown flag with a message', async () => {
    const bad = spawn(process.execPath, ['--conditions=parapet-source', '--import', 'tsx', 'src/main.ts', '--fial'], { cwd: demoDir, env: { ...process.env, NODE_OPTIONS: '' } });
    let err = '';
    bad.stderr.on('data', (c: Buffer) => (err += c.toString()));
    expect(await new Promise((resolve) => bad.on('exit', resolve))).toBe(2);
    expect(err).toContain("Unknown option '--fial'");
  }, 60_000);
});
