// `parapet install` as a user runs it: `npm run pack` once, the packed @parapet/cli installed with
// plain npm in a tools folder (what `npx @parapet/cli` does), then for each fixture app a copy in a
// temp folder outside the repository with its own dependencies installed from the registry, a
// git commit, `parapet install --from <packs>`, `tsc --noEmit` for the TypeScript ones, the app
// started and scraped on /metrics with and without the token, and a second install that must
// change nothing. Each fixture runs through `installFixture`, so further steps (the doctor) slot in
// per fixture.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { alertmanagerPayload } from '@parapet/vitest-preset/alertmanager';
import { parseExposition } from '@parapet/vitest-preset/exposition';
import { freePort, waitFor } from '@parapet/vitest-preset/processes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageDir, repoRoot, snapshot } from '../src/test-support.js';

const exec = promisify(execFile);
const fixtures = join(packageDir, 'test', 'fixtures', 'apps');
const packs = join(repoRoot, 'packs');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const METRICS_TOKEN = 'metrics-e2e-0123456789abcdef';
const WEBHOOK_TOKEN = 'webhook-e2e-0123456789abcdef';

let work: string;
let cli: string;
const running: ChildProcess[] = [];

type Ran = { failed?: undefined; stdout: string; stderr: string } | (Error & { failed: true; code: number; stdout: string; stderr: string });

async function sh(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  // pnpm exports its own settings as npm_config_* variables; plain npm warns about them.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k)));
  try {
    return await exec(cmd, [...args], { cwd, env: { ...inherited, NODE_OPTIONS: '', ...env }, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number; message: string };
    return Object.assign(new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed: ${e.message}`), { failed: true as const, code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' });
  }
}

async function ok(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const result = await sh(cmd, args, cwd, env);
  if (result.failed) throw new Error(`${result.message}\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** The installed CLI, as `npx @parapet/cli` runs it; resolves with its exit code and output. */
async function parapet(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const result = await sh(process.execPath, [cli, ...args], cwd, env);
  return result.failed ? { code: result.code, stdout: result.stdout, stderr: result.stderr } : { code: 0, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the app with node (type stripping runs the .ts ones) and waits for its "listening" line. */
async function start(dir: string, entry: string, env: Record<string, string>) {
  const port = await freePort();
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k)));
  const child = spawn(process.execPath, [entry], { cwd: dir, env: { ...inherited, NODE_OPTIONS: '', PORT: String(port), NODE_ENV: 'production', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(`${entry} listening on ${port}`, () => {
    if (child.exitCode !== null) throw new Error(`${entry} exited ${child.exitCode}:\n${output}`);
    return output.includes(`listening on ${port}`);
  });
  const stop = async () => {
    child.kill('SIGTERM');
    await waitFor(`${entry} to stop`, () => child.exitCode !== null || child.signalCode !== null);
  };
  return { base: `http://127.0.0.1:${port}`, stop, output: () => output };
}

interface FixtureRun {
  readonly dir: string;
  readonly install: { code: number; stdout: string; stderr: string };
}

/**
 * One fixture, start to end: copy, `npm install` its own dependencies, commit, `prepare` (a build),
 * then `parapet install` with `flags`. The checks after it are the caller's.
 */
async function installFixture(name: string, flags: readonly string[] = [], prepare?: (dir: string) => Promise<void>): Promise<FixtureRun> {
  const dir = mkdtempSync(join(work, `${name}-`));
  cpSync(join(fixtures, name), dir, { recursive: true });
  await ok(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error'], dir);
  // The app as it was type-checks, so a failure after install is the installer's.
  if (existsSync(join(dir, 'tsconfig.json'))) await typecheck(dir);
  await ok('git', ['init', '-q'], dir);
  await ok('git', ['add', '-A'], dir);
  await ok('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.com', 'commit', '-qm', 'the app'], dir);
  await prepare?.(dir);
  const install = await parapet(dir, ['install', '--from', packs, ...flags]);
  return { dir, install };
}

async function typecheck(dir: string) {
  await ok(npm, ['exec', '--', 'tsc', '--noEmit', '-p', '.'], dir);
}

/** /metrics answers the token with the app's own traffic, and refuses a scrape without it. */
async function scrape(base: string, route: string) {
  expect((await fetch(`${base}${route}`)).status).toBe(200);
  const refused = await fetch(`${base}/metrics`);
  expect([401, 403]).toContain(refused.status);
  const response = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status).toBe(200);
  const samples = parseExposition(await response.text());
  expect(samples).toContainEqual(expect.objectContaining({ name: 'parapet_http_server_requests_total', labels: { route, method: 'GET', status_class: '2xx', status_code: '200' }, value: 1 }));
}

/** Installed without --webhook: the config routes alerts to /parapet/alertmanager, which is not mounted yet. */
const NO_WEBHOOK = ['webhook-route'];

interface DoctorReport {
  exitCode: number;
  findings: { id: string; status: 'info' | 'warn' | 'error' | 'skip'; message: string }[];
}

/**
 * The Day-1 flow's last steps on the installed app: generate the artifacts with the script the
 * installer added, then `parapet doctor` with the live /metrics check against the running app.
 * No finding is an error; the only warnings allowed are the ones named (the deny-all authorize stub;
 * without --webhook, the config's webhookUrl that no route serves yet).
 */
async function doctor(run: FixtureRun, base: string, allowedWarnings: readonly string[] = []) {
  await ok(npm, ['run', 'parapet:gen'], run.dir);
  // Run where production's variables are set, as docs/troubleshooting.md says to.
  const env = { PARAPET_METRICS_TOKENS: METRICS_TOKEN, PARAPET_WEBHOOK_TOKENS: WEBHOOK_TOKEN, NODE_ENV: 'production' };
  const result = await parapet(run.dir, ['doctor', '--json', '--url', base], env);
  const report = JSON.parse(result.stdout) as DoctorReport;
  const worst = report.findings.filter((f) => f.status === 'error' || f.status === 'warn').map((f) => `${f.status} ${f.id}: ${f.message}`);
  expect(worst).toEqual(report.findings.filter((f) => f.status === 'warn' && allowedWarnings.includes(f.id)).map((f) => `warn ${f.id}: ${f.message}`));
  expect(report.findings.filter((f) => f.status === 'warn').map((f) => f.id).sort()).toEqual([...allowedWarnings].sort());
  // What the doctor verified rather than skipped: the token-protected route in the source, and the live scrape.
  for (const id of ['metrics-route', 'metrics-token', 'config-load', 'slices-valid', 'rules-drift', 'live-metrics']) {
    expect(report.findings.find((f) => f.id === id)?.status, id).toBe('info');
  }
  expect({ code: result.code, exitCode: report.exitCode }).toEqual({ code: 0, exitCode: 0 });
}

/**
 * `npx parapet doctor` in the project runs the @parapet/cli the installer added: its findings link
 * the guide shipped in that package, by a path that opens from the project, with the repository's text.
 */
async function projectGuide(run: FixtureRun) {
  const result = await sh(npm, ['exec', '--', 'parapet', 'doctor', '--json'], run.dir);
  const report = JSON.parse(result.stdout) as { findings: { id: string; docs: string }[] };
  expect(report.findings[0]).toMatchObject({ id: 'config-load', docs: 'node_modules/@parapet/cli/TROUBLESHOOTING.md#config-load' });
  const { shippedTroubleshooting } = await import('../scripts/troubleshooting.mjs');
  expect(readFileSync(join(run.dir, 'node_modules', '@parapet', 'cli', 'TROUBLESHOOTING.md'), 'utf8')).toBe(shippedTroubleshooting(readFileSync(join(repoRoot, 'docs', 'troubleshooting.md'), 'utf8')));
}

/** A second run: nothing to do, and not one byte of the project changes. */
async function installAgain(run: FixtureRun, flags: readonly string[] = []) {
  const before = snapshot(run.dir, ['node_modules', '.git', 'parapet-data']);
  const again = await parapet(run.dir, ['install', '--from', packs, ...flags]);
  expect(again.stderr).toBe('');
  expect(again.stdout).toContain('Nothing to do: Parapet is already set up here; no file changed and nothing was installed.');
  expect(again.code).toBe(0);
  expect(snapshot(run.dir, ['node_modules', '.git', 'parapet-data'])).toEqual(before);
}

beforeAll(async () => {
  // `npm run pack` without its install step: the pinned pnpm, build, one tarball per package.
  // @ts-expect-error plain .mjs helper without declarations
  const { pnpmEnv } = (await import('../../../tooling/scripts/run.mjs')) as { pnpmEnv: () => NodeJS.ProcessEnv };
  await ok(process.execPath, [join(repoRoot, 'tooling', 'scripts', 'pack.mjs')], repoRoot, pnpmEnv());
  work = mkdtempSync(join(tmpdir(), 'parapet-install-e2e-'));
  const tools = join(work, 'tools');
  mkdirSync(tools);
  writeFileSync(join(tools, 'package.json'), JSON.stringify({ name: 'tools', version: '1.0.0', private: true }));
  const tarball = (prefix: string) => join(packs, readdirSync(packs).find((f) => f.startsWith(`${prefix}-`) && /^\d/.test(f.slice(prefix.length + 1)))!);
  await ok(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball('parapet-cli'), tarball('parapet-core')], tools);
  cli = join(tools, 'node_modules', '@parapet', 'cli', 'bin', 'parapet.mjs');
}, 900_000);

afterAll(async () => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  // Five projects' node_modules: slow to delete on a busy machine.
  if (work) await rm(work, { recursive: true, force: true });
}, 300_000);

describe('parapet install on real apps (packed packages, plain npm)', () => {
  it('Express 4, ESM JavaScript', async () => {
    const run = await installFixture('express4-esm');
    expect(run.install).toMatchObject({ code: 0, stderr: '' });
    expect(run.install.stdout).toContain('parapet install: Express 4, app `app` in server.js (JavaScript, ES modules, npm)');
    const app = await start(run.dir, 'server.js', { PARAPET_METRICS_TOKENS: METRICS_TOKEN });
    await scrape(app.base, '/');
    await doctor(run, app.base, NO_WEBHOOK);
    await projectGuide(run);
    await app.stop();
    await installAgain(run);
  });

  it('Express CommonJS', async () => {
    const run = await installFixture('express-cjs');
    expect(run.install).toMatchObject({ code: 0, stderr: '' });
    expect(run.install.stdout).toContain('(JavaScript, CommonJS, npm)');
    expect(readFileSync(join(run.dir, 'app.js'), 'utf8')).toContain("const { instrument, metricsHandler } = require('@parapet/express');");
    const app = await start(run.dir, 'app.js', { PARAPET_METRICS_TOKENS: METRICS_TOKEN });
    await scrape(app.base, '/');
    await doctor(run, app.base, NO_WEBHOOK);
    await app.stop();
    await installAgain(run);
  });

  it('Express 5, TypeScript, with every opt-in flag: type-checks, serves /metrics, the webhook and the denying operator API', async () => {
    const flags = ['--webhook', '--operator-api', '--workbench', '--migrations'];
    const run = await installFixture('express5-ts', flags);
    expect(run.install).toMatchObject({ code: 0, stderr: '' });
    await typecheck(run.dir);
    const app = await start(run.dir, 'src/server.ts', { PARAPET_METRICS_TOKENS: METRICS_TOKEN, PARAPET_WEBHOOK_TOKENS: WEBHOOK_TOKEN });
    await scrape(app.base, '/');
    await evidenceRoutes(app.base);
    await doctor(run, app.base, ['operator-auth']);
    await app.stop();
    await installAgain(run, flags);
  });

  it('Hono, TypeScript on @hono/node-server (no semicolons)', async () => {
    const run = await installFixture('hono-ts');
    expect(run.install).toMatchObject({ code: 0, stderr: '' });
    await typecheck(run.dir);
    const app = await start(run.dir, 'src/index.ts', { PARAPET_METRICS_TOKENS: METRICS_TOKEN });
    await scrape(app.base, '/');
    await doctor(run, app.base, NO_WEBHOOK);
    await app.stop();
    await installAgain(run);

    // A later run with flags adds only their pieces, and the result still type-checks and runs.
    const flags = ['--webhook', '--operator-api', '--workbench', '--migrations'];
    await ok('git', ['add', '-A'], run.dir);
    await ok('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.com', 'commit', '-qm', 'parapet'], run.dir);
    const more = await parapet(run.dir, ['install', '--from', packs, ...flags]);
    expect(more).toMatchObject({ code: 0, stderr: '' });
    await typecheck(run.dir);
    const again = await start(run.dir, 'src/index.ts', { PARAPET_METRICS_TOKENS: METRICS_TOKEN, PARAPET_WEBHOOK_TOKENS: WEBHOOK_TOKEN });
    await evidenceRoutes(again.base);
    await doctor(run, again.base, ['operator-auth']);
    await again.stop();
    await installAgain(run, flags);
  });

  it('a built TypeScript app (main and start run dist/index.js, dist/ git-ignored): src/index.ts is edited, dist/ only by the next build', async () => {
    let built = '';
    const run = await installFixture('express-built-ts', [], async (dir) => {
      await ok('npx', ['tsc'], dir);
      built = readFileSync(join(dir, 'dist', 'index.js'), 'utf8');
    });
    expect(run.install).toMatchObject({ code: 0, stderr: '' });
    expect(run.install.stdout).toContain('parapet install: Express 5, app `app` in src/index.ts (TypeScript, ES modules, npm)');
    expect(readFileSync(join(run.dir, 'src', 'index.ts'), 'utf8')).toContain("app.get('/metrics', metricsHandler());");
    expect(readFileSync(join(run.dir, 'dist', 'index.js'), 'utf8')).toBe(built);
    // The summary says to build before starting; doing so puts the edit into what runs.
    expect(run.install.stdout).toContain('  npm run build ');
    await typecheck(run.dir);
    await ok(npm, ['run', 'build'], run.dir);
    expect(readFileSync(join(run.dir, 'dist', 'index.js'), 'utf8')).toContain('metricsHandler()');
    const app = await start(run.dir, 'dist/index.js', { PARAPET_METRICS_TOKENS: METRICS_TOKEN });
    await scrape(app.base, '/');
    await doctor(run, app.base, NO_WEBHOOK);
    await app.stop();
    await installAgain(run);
  });

  it('an app whose shape is not recognized: entry file untouched, snippet printed, the app still runs', async () => {
    const run = await installFixture('unrecognized');
    expect(run.install.code).toBe(1);
    expect(run.install.stdout).toContain('server.js: not changed: no `const app = express()` at the top level of the file');
    expect(run.install.stdout).toContain("    app.get('/metrics', metricsHandler());");
    expect(readFileSync(join(run.dir, 'server.js'), 'utf8')).toBe(readFileSync(join(fixtures, 'unrecognized', 'server.js'), 'utf8'));
    const app = await start(run.dir, 'server.js', {});
    expect((await fetch(`${app.base}/`)).status).toBe(200);
    await app.stop();
    // Until the snippet is pasted, the doctor says what is missing (and fails).
    const checked = await parapet(run.dir, ['doctor', '--json']);
    expect(checked.code).toBe(1);
    expect((JSON.parse(checked.stdout) as DoctorReport).findings.find((f) => f.id === 'metrics-route')?.status).toBe('error');

    // Again: the same snippet, and nothing else changes.
    const before = snapshot(run.dir, ['node_modules', '.git']);
    const again = await parapet(run.dir, ['install', '--from', packs]);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('\nPaste this into server.js yourself:\n');
    expect(snapshot(run.dir, ['node_modules', '.git'])).toEqual(before);
  });
});

/** The opt-in routes: the webhook takes a delivery with its token, the operator API denies everyone, the workbench serves. */
async function evidenceRoutes(base: string) {
  const payload = alertmanagerPayload({
    alerts: [{ fingerprint: 'e2e0000000000001', startsAt: new Date().toISOString() }],
    labels: () => ({ alertname: 'WebSaasHttpAvailabilityBudgetBurnPage', slo: 'web_saas_http_availability', severity: 'page' }),
    annotations: () => ({ summary: 'install e2e' }),
    groupKey: '{}:{alertname="WebSaasHttpAvailabilityBudgetBurnPage"}',
  });
  const deliver = (token?: string) =>
    fetch(`${base}/parapet/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(payload) });
  expect((await deliver()).status).toBe(401);
  const delivered = await deliver(WEBHOOK_TOKEN);
  expect(delivered.status, await delivered.clone().text()).toBe(200);
  expect((await fetch(`${base}/parapet/api/incidents`)).status).toBe(401);
  const workbench = await fetch(`${base}/parapet/`);
  expect(workbench.status).toBe(200);
  expect(workbench.headers.get('content-type')).toContain('text/html');
}
