// `parapet install` through main(), on copies of the fixture apps outside the repository. The
// copies already declare every package Parapet would add, so no package manager runs here (the
// e2e test, test/install.e2e.test.ts, installs for real).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { buildWithTsc, commitAll, packageDir, snapshot } from '../test-support.js';
import { packagesFor } from './features.js';
import { writeAtomic } from './files.js';
import { installSteps } from './packages.js';
import { applyPlan, planInstall } from './plan.js';

const fixtures = join(packageDir, 'test', 'fixtures', 'apps');
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A copy of a fixture whose package.json already lists every package install adds (for these flags). */
function copy(name: string, framework: 'express' | 'hono' = 'express', features = {}): string {
  const dir = mkdtempSync(join(tmpdir(), `parapet-install-${name}-`));
  made.push(dir);
  cpSync(join(fixtures, name), dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const spec of packagesFor(framework, { webhook: true, operatorApi: true, workbench: true, ...features })) manifest.dependencies[spec.name] = '*';
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  return dir;
}

async function run(dir: string, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['install', ...args], { cwd: dir, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: dir, stdio: 'pipe' });

describe('parapet install', () => {
  it('writes the entry file, parapet.config.ts and the scripts; a second run changes nothing and says so', async () => {
    const dir = copy('express5-ts');
    const first = await run(dir);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('parapet install: Express 5, app `app` in src/server.ts (TypeScript, ES modules, npm)');
    expect(first.stdout).toContain(
      'Changed:\n' +
        '  parapet.config.ts    created: the web-saas starter pack and the Alertmanager webhook receiver\n' +
        '  package.json         scripts: parapet:gen\n' +
        '  .gitignore           /parapet/: what `parapet:gen` generates\n' +
        '  src/server.ts        added:\n' +
        "                         attach(): records into prom-client's global registry\n" +
        '                         instrument(app): requests counted by route template\n' +
        '                         GET /metrics: bearer tokens from PARAPET_METRICS_TOKENS\n',
    );
    expect(first.stdout).toContain('Next:\n  git diff');
    expect(first.stdout).toMatch(/\n  node -e "console\.log\(crypto\.randomBytes\(24\)\.toString\('base64url'\)\)" +make a <secret>: at least 16 characters \(the doctor refuses shorter ones\)\n  PARAPET_METRICS_TOKENS=<secret> npm run start /);
    // The app runs its source (node src/server.ts): no build step.
    expect(first.stdout).not.toContain('npm run build');
    expect(first.stdout).toContain('npm run parapet:gen');
    expect(readFileSync(join(dir, 'src/server.ts'), 'utf8')).toContain("app.get('/metrics', metricsHandler());");
    expect(readFileSync(join(dir, 'parapet.config.ts'), 'utf8')).toContain("webSaas({");
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts['parapet:gen']).toBe('parapet gen prometheus && parapet gen alertmanager && parapet gen grafana');
    // No temp file is left behind by the atomic writes.
    expect(Object.keys(snapshot(dir)).filter((f) => f.includes('.parapet-'))).toEqual([]);

    const before = snapshot(dir);
    const second = await run(dir);
    expect(second).toEqual({ code: 0, stderr: '', stdout: 'parapet install: Express 5, app `app` in src/server.ts (TypeScript, ES modules, npm)\nNothing to do: Parapet is already set up here; no file changed and nothing was installed.\n' });
    expect(snapshot(dir)).toEqual(before);
  });

  it('a built TypeScript app (main and start run dist/index.js): src/index.ts is edited, dist/ is not touched', async () => {
    const dir = copy('express-built-ts');
    commitAll(dir);
    buildWithTsc(dir);
    const built = snapshot(join(dir, 'dist'));
    const { code, stdout, stderr } = await run(dir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('parapet install: Express 5, app `app` in src/index.ts (TypeScript, ES modules, npm)\n');
    expect(stdout).toContain('  src/index.ts         added:\n');
    expect(readFileSync(join(dir, 'src/index.ts'), 'utf8')).toContain("app.get('/metrics', metricsHandler());");
    expect(snapshot(join(dir, 'dist'))).toEqual(built);
    // `npm start` runs dist/index.js: build before starting, or the edit is not in what runs.
    expect(stdout).toMatch(/\n  npm run build +compile src\/index\.ts to dist\/index\.js first: start runs the build output\n  node -e .*\n  PARAPET_METRICS_TOKENS=<secret> npm run start /);
  });

  it('--dry-run prints a unified diff of every file and writes nothing', async () => {
    const dir = copy('hono-ts', 'hono');
    const before = snapshot(dir);
    const { code, stdout } = await run(dir, '--dry-run', '--webhook');
    expect(code).toBe(0);
    expect(snapshot(dir)).toEqual(before);
    expect(stdout).toContain('--- /dev/null\n+++ b/parapet.config.ts\n@@ -0,0 +1,');
    expect(stdout).toContain('--- a/package.json\n+++ b/package.json\n');
    expect(stdout).toContain('+    "parapet:gen": "parapet gen prometheus && parapet gen alertmanager && parapet gen grafana"');
    expect(stdout).toContain('--- a/src/index.ts\n+++ b/src/index.ts\n');
    expect(stdout).toContain(" const app = new Hono<Env>()\n+// Parapet (added by `parapet install`, yours to edit): record HTTP metrics into prom-client.\n+attach();\n");
    expect(stdout).toContain("+app.post('/parapet/alertmanager', (c) => parapetWebhook(c.req.raw));");
    // The embedded evidence database stays out of git.
    expect(stdout).toContain('--- a/.gitignore\n+++ b/.gitignore\n@@ -1,1 +1,3 @@\n node_modules/\n+/parapet/\n+/parapet-data/\n');
    expect(stdout).toContain('\nDry run: nothing was written and nothing was installed.\n');
  });

  it('--dry-run lists the install commands it would run, with the tarballs of --from', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parapet-install-bare-'));
    made.push(dir);
    cpSync(join(fixtures, 'express4-esm'), dir, { recursive: true });
    const packs = mkdtempSync(join(tmpdir(), 'parapet-packs-'));
    made.push(packs);
    for (const name of ['core-0.0.0', 'core-0.0.10', 'express-0.0.0', 'cli-0.0.0', 'starter-pack-web-saas-0.0.0']) writeFileSync(join(packs, `parapet-${name}.tgz`), '');
    const { code, stdout } = await run(dir, '--dry-run', '--from', packs);
    expect(code).toBe(0);
    expect(stdout).toContain(`Would run: npm install --no-audit --no-fund ${join(packs, 'parapet-core-0.0.10.tgz')} ${join(packs, 'parapet-express-0.0.0.tgz')} prom-client@^15\n`);
    expect(stdout).toContain(`Would run: npm install --no-audit --no-fund --save-dev ${join(packs, 'parapet-cli-0.0.0.tgz')} ${join(packs, 'parapet-starter-pack-web-saas-0.0.0.tgz')}\n`);

    const missing = await run(dir, '--dry-run', '--from', packs, '--webhook');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`--from ${packs}: no tarball for @parapet/evidence-pg (looked for parapet-evidence-pg-<version>.tgz).\nHow to fix: run \`npm run pack\``);
  });

  it('refuses a git tree with uncommitted changes unless --force; a clean tree and a non-git folder are fine', async () => {
    const dir = copy('express4-esm');
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'app');
    writeFileSync(join(dir, 'server.js'), readFileSync(join(dir, 'server.js'), 'utf8') + '// work in progress\n');
    const before = snapshot(dir);
    const refused = await run(dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('parapet: The git working tree has uncommitted changes');
    expect(refused.stderr).toContain(' M server.js');
    expect(refused.stderr).toContain('How to fix: commit or stash them first, or run with --dry-run to see the changes, or --force to install anyway.');
    expect(snapshot(dir)).toEqual(before);

    const forced = await run(dir, '--force');
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, 'server.js'), 'utf8')).toContain('instrument(app);');

    expect(forced.stdout).toContain('  .gitignore           /parapet/: what `parapet:gen` generates\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'parapet');
    // `npm run parapet:gen` writes parapet/<target>: ignored, so the tree stays clean for the next install.
    mkdirSync(join(dir, 'parapet', 'prometheus'), { recursive: true });
    writeFileSync(join(dir, 'parapet', 'prometheus', 'rules.yml'), 'groups: []\n');
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' })).toBe('');
    expect((await run(dir, '--webhook')).code).toBe(0);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\n/parapet/\n/parapet-data/\n');
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' })).toBe(' M .gitignore\n M server.js\n');
    // Idempotent: the lines are there (also written without the slashes), nothing more is added.
    writeFileSync(join(dir, '.gitignore'), 'node_modules/\nparapet\nparapet-data/');
    expect((await run(dir, '--webhook', '--force')).stdout).toContain('Nothing to do');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\nparapet\nparapet-data/');
  });

  it('an app it does not recognize: the entry file is untouched, the snippet printed, the other files written (and said so)', async () => {
    const dir = copy('unrecognized');
    const entry = readFileSync(join(dir, 'server.js'), 'utf8');
    const { code, stdout } = await run(dir);
    expect(code).toBe(1);
    expect(readFileSync(join(dir, 'server.js'), 'utf8')).toBe(entry);
    expect(existsSync(join(dir, 'parapet.config.ts'))).toBe(true);
    expect(stdout).toContain('server.js: not changed: no `const app = express()` at the top level of the file');
    expect(stdout).toContain('Everything listed above is done; paste this into server.js yourself:');
    expect(stdout).toContain("    import { attach } from '@parapet/core';\n    import { instrument, metricsHandler } from '@parapet/express';\n");
    expect(stdout).toContain("    instrument(app);\n");
    expect(stdout).not.toContain('Next:');

    // Run again: nothing else to write, the snippet again, still exit 1.
    const again = await run(dir);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('\nPaste this into server.js yourself:\n');
  });

  it('explains what is wrong with a folder that is not an Express or Hono app', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'parapet-install-empty-'));
    made.push(empty);
    expect(await run(empty)).toMatchObject({ code: 2, stderr: expect.stringContaining(`parapet: No package.json in ${empty}.\nHow to fix: run parapet install in your app's folder`) });
    writeFileSync(join(empty, 'package.json'), '{"name":"x","dependencies":{"fastify":"^5"}}');
    expect(await run(empty)).toMatchObject({ code: 2, stderr: expect.stringContaining('Neither express nor hono is in package.json.\nHow to fix:') });
    writeFileSync(join(empty, 'package.json'), '{"name":"x","dependencies":{"express":"^3.21.0"}}');
    expect(await run(empty)).toMatchObject({ code: 2, stderr: expect.stringContaining('express ^3.21.0 is not supported (Parapet supports express 4 and 5).') });
  });

  it('a mistyped flag: the error, a suggestion, install\'s own usage and where the rest is; not every command\'s usage', async () => {
    const dir = copy('express4-esm');
    const typo = await run(dir, '--dry-rn');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe(
      'parapet: Unknown option --dry-rn. Did you mean --dry-run? parapet install takes --from, --dry-run, --force, --webhook, --operator-api, --workbench, --migrations and --help.\n\n' +
        'Usage: parapet install [--dry-run] [--force] [--from <dir>] [--webhook] [--operator-api] [--workbench] [--migrations]\n' +
        '  install  set Parapet up in this Express or Hono app: packages, entry file, parapet.config.ts, scripts\n\n' +
        'Run parapet --help for every command and option.\n',
    );
    expect((await run(dir, '--webhok')).stderr).toContain('Did you mean --webhook?');
    // Not near anything: no guess.
    expect((await run(dir, '--bogus')).stderr).not.toContain('Did you mean');
  });

  it('--from a folder that does not exist fails first, also on an app already set up', async () => {
    const dir = copy('express4-esm');
    expect((await run(dir)).code).toBe(0);
    expect((await run(dir)).stdout).toContain('Nothing to do');
    const nope = join(tmpdir(), 'parapet-no-such-packs');
    const failed = await run(dir, '--from', nope);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(new RegExp(`^parapet: --from ${nope}: no such folder\\.\\nHow to fix: pass the folder \`npm run pack\` wrote`));
  });

  it('unknown options and arguments are usage errors', async () => {
    const dir = copy('express4-esm');
    expect(await run(dir, '--bogus', 'x')).toMatchObject({ code: 2, stderr: expect.stringContaining('Unknown option --bogus. parapet install takes --from, --dry-run, --force, --webhook, --operator-api, --workbench, --migrations and --help.') });
    expect(await run(dir, '--metrics-token', 'x')).toMatchObject({ code: 2, stderr: expect.stringContaining('parapet install does not take --metrics-token') });
    expect(await run(dir, 'now')).toMatchObject({ code: 2, stderr: expect.stringContaining('Unexpected argument "now": parapet install takes no target') });
    expect(await run(dir, '--out', 'x')).toMatchObject({ code: 2, stderr: expect.stringContaining('parapet install does not take --out') });
  });
});

describe('failures after the start', () => {
  it('a failed install writes nothing and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parapet-install-fail-'));
    made.push(dir);
    cpSync(join(fixtures, 'express4-esm'), dir, { recursive: true });
    // Tarballs that are not archives: npm fails on them before it touches the project.
    const packs = mkdtempSync(join(tmpdir(), 'parapet-bad-packs-'));
    made.push(packs);
    for (const name of ['core', 'express', 'cli', 'starter-pack-web-saas']) writeFileSync(join(packs, `parapet-${name}-0.0.0.tgz`), 'not a tarball');
    const before = snapshot(dir);
    const { code, stderr } = await run(dir, '--from', packs);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^parapet: `npm install --no-audit --no-fund .*parapet-core-0\.0\.0\.tgz.*` failed \(exit \d+\)\./);
    expect(stderr).toContain('How to fix: run that command yourself to see why, then run parapet install again.\nNo file was written.\n');
    expect(snapshot(dir)).toEqual(before);
  }, 120_000);

  it('a write that fails after others names what was written and what was not', async () => {
    const dir = copy('express5-ts');
    const plan = planInstall(dir, { dryRun: false, force: false, features: {} });
    const write = (file: string, text: string) => {
      if (file.endsWith('server.ts')) throw new Error('ENOSPC: no space left on device');
      writeAtomic(file, text);
    };
    await expect(applyPlan(plan, { write })).rejects.toThrow(
      'Writing src/server.ts failed: ENOSPC: no space left on device\nWritten before it: parapet.config.ts, package.json, .gitignore. Not written: src/server.ts.\n' +
        'How to fix: fix the cause (permissions, disk space), then run parapet install again: it completes what is missing and leaves the rest.',
    );
    // Running again completes it.
    expect((await run(dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'src/server.ts'), 'utf8')).toContain('instrument(app);');
  });
});

describe('installSteps', () => {
  const specs = packagesFor('hono', {});
  it('adds with the project\'s package manager, dependencies then dev tools', () => {
    expect(installSteps('npm', specs).map((s) => s.argv.join(' '))).toEqual([
      'npm install --no-audit --no-fund @parapet/core @parapet/hono prom-client@^15',
      'npm install --no-audit --no-fund --save-dev @parapet/cli @parapet/starter-pack-web-saas',
    ]);
    expect(installSteps('pnpm', specs).map((s) => s.argv.join(' '))).toEqual(['pnpm add @parapet/core @parapet/hono prom-client@^15', 'pnpm add --save-dev @parapet/cli @parapet/starter-pack-web-saas']);
    expect(installSteps('yarn', specs).map((s) => s.argv.join(' '))).toEqual(['yarn add @parapet/core @parapet/hono prom-client@^15', 'yarn add --dev @parapet/cli @parapet/starter-pack-web-saas']);
    expect(installSteps('bun', specs).map((s) => s.argv.join(' '))).toEqual(['bun add @parapet/core @parapet/hono prom-client@^15', 'bun add --dev @parapet/cli @parapet/starter-pack-web-saas']);
  });

  it('the evidence store and the workbench bring their packages', () => {
    expect(installSteps('npm', packagesFor('express', { workbench: true }))[0]!.names).toEqual(['@parapet/core', '@parapet/express', 'prom-client', '@parapet/evidence-pg', 'kysely', '@electric-sql/pglite', '@parapet/ui-react']);
  });
});
