// `parapet doctor` through the real bin: the report, exit codes, --ci, --threshold and --json.
import { execFile } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { FINDING_IDS } from '../src/doctor/registry.js';
import { join } from 'node:path';
import { bin, removeScratch, repoRoot } from '../src/test-support.js';
import { copyFixture } from './doctor-support.js';

afterAll(removeScratch);

/** The bin in `cwd`, with an environment that names no database or token (the test's own may). */
function doctor(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_OPTIONS: '' };
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, 'doctor', ...args], { cwd, env }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** The bin links the repository's guide; from a folder outside the repository's docs, by its absolute path. */
const guide = join(repoRoot, 'docs', 'troubleshooting.md');

describe('parapet doctor (the real bin)', () => {
  const warnOnly = copyFixture('cli', 'warn-only');
  const broken = copyFixture('cli', 'error');

  it('prints one line per check, fixes and links for warnings, a summary; exits 0 on warnings by default', async () => {
    const result = await doctor([], warnOnly);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    for (const id of FINDING_IDS) expect(lines.some((l) => new RegExp(`^(info |skip |WARN |ERROR) ${id}: `).test(l)), id).toBe(true);
    expect(result.stdout).toContain('WARN  runbook-urls: 4 slices link a placeholder runbook');
    expect(result.stdout).toContain('        How to fix: Point runbookUrl');
    expect(result.stdout).toContain(`        See ${guide}#runbook-urls`);
    expect(result.stdout).toMatch(/\n0 errors, 1 warning, \d+ info, \d+ skipped \(threshold: error\)\.\n/);
  });

  it('--ci and --threshold warn fail on a warning; --threshold error does not', async () => {
    expect((await doctor(['--ci'], warnOnly)).code).toBe(1);
    expect((await doctor(['--threshold', 'warn'], warnOnly)).code).toBe(1);
    expect((await doctor(['--threshold', 'error'], warnOnly)).code).toBe(0);
  });

  it('exits 1 on an error finding, and says what is wrong and how to fix it', async () => {
    const result = await doctor([], broken);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^ERROR config-load: Loading .*parapet\.config\.ts failed/m);
    expect(result.stdout).toContain('How to fix: fix the syntax error above in the config file');
    expect(result.stdout).toContain('skip  slices-valid: parapet.config.ts did not load (see config-load).');
  });

  it('--json prints the documented report shape', async () => {
    const result = await doctor(['--json', '--ci'], warnOnly);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Record<string, any>;
    expect(Object.keys(report)).toEqual(['version', 'threshold', 'exitCode', 'summary', 'findings']);
    expect(report).toMatchObject({ version: 1, threshold: 'warn', exitCode: 1 });
    expect(Object.keys(report.summary)).toEqual(['error', 'warn', 'info', 'skip']);
    expect(report.summary.warn).toBe(1);
    expect(report.findings.map((f: { id: string }) => f.id)).toEqual(FINDING_IDS);
    const runbooks = report.findings.find((f: { id: string }) => f.id === 'runbook-urls');
    expect(Object.keys(runbooks).sort()).toEqual(['details', 'docs', 'fix', 'group', 'id', 'message', 'status', 'title']);
    expect(runbooks).toMatchObject({ status: 'warn', group: 'config', title: 'Every slice links a runbook', docs: `${guide}#runbook-urls` });
    const skipped = report.findings.find((f: { id: string }) => f.id === 'live-metrics');
    expect(Object.keys(skipped).sort()).toEqual(['docs', 'group', 'id', 'message', 'status', 'title']);
  });

  it('refuses bad flags with exit 2 and a message (never runs checks)', async () => {
    const io = () => {
      const out = { stdout: '', stderr: '' };
      return { out, io: { cwd: warnOnly, stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t) } };
    };
    const cases: [string[], string][] = [
      [['--threshold', 'info'], '--threshold must be warn or error (got "info")'],
      [['--ci', '--threshold', 'error'], '--ci means --threshold warn'],
      [['--url', 'localhost:3000'], '--url needs an http(s) URL, e.g. --url http://127.0.0.1:3000'],
      [['--out', 'x'], 'parapet doctor does not take --out'],
      [['now'], 'Unexpected argument "now": parapet doctor takes no target.'],
    ];
    for (const [args, message] of cases) {
      const { out, io: streams } = io();
      expect(await main(['doctor', ...args], streams), args.join(' ')).toBe(2);
      expect(out.stderr).toContain(message);
      expect(out.stdout).toBe('');
    }
  });
});
