#!/usr/bin/env node
// Entry point behind `npm test` and `npm run demo`. Assumes only Node >= 20.19 and npm: it
// fetches the pinned pnpm through npx when needed, puts it on PATH for every child process
// (turbo, publint and friends call `pnpm`), installs the workspace, then runs the task.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pnpmSpec = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager; // pnpm@x.y.z

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`[parapet] Node ${process.versions.node} is too old: Parapet needs Node >= 20.19. Install a newer Node and retry.`);
  process.exit(1);
}

function pnpmOnPath() {
  try {
    return `pnpm@${execFileSync('pnpm', ['--version'], { encoding: 'utf8' }).trim()}` === pnpmSpec;
  } catch {
    return false;
  }
}

const env = { ...process.env };
if (!pnpmOnPath()) {
  const bin = execFileSync('npx', ['--yes', '-p', pnpmSpec, '-c', 'command -v pnpm'], { encoding: 'utf8', cwd: root }).trim();
  env.PATH = `${dirname(bin)}:${env.PATH}`;
}

function run(args, { exitOnFailure = true } = {}) {
  const result = spawnSync('pnpm', args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0 && exitOnFailure) process.exit(result.status ?? 1);
  return result.status ?? 1;
}

/** One plain closing line, `N passed, N failed[, N skipped]`, from vitest's JSON report. */
function printSummary(reportFile) {
  try {
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    const skipped = report.numPendingTests + report.numTodoTests;
    console.log(`\n${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
  } catch {
    console.log('\n[parapet] vitest wrote no report: the run did not complete.');
  }
}

const task = process.argv[2];
const frozen = process.env.CI && existsSync(join(root, 'pnpm-lock.yaml')) ? ['--frozen-lockfile'] : [];
run(['install', ...frozen, '--config.confirmModulesPurge=false']);

if (task === 'test') {
  // Static checks first (types, package exports), then every vitest project.
  run(['exec', 'turbo', 'run', 'typecheck', 'lint', '--output-logs=errors-only']);
  const reportFile = join(root, '.parapet-tmp', 'vitest-report.json');
  rmSync(reportFile, { force: true });
  const status = run(['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...process.argv.slice(3)], { exitOnFailure: false });
  printSummary(reportFile);
  process.exit(status);
} else if (task === 'demo') {
  // Ctrl-C signals the whole process group: the demo closes its server and exits 0 by itself.
  // Wait for it instead of dying first, and run it with node directly: pnpm and its shell would
  // report the signal as a failure.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => {});
  const demo = spawnSync(process.execPath, ['--conditions=parapet-source', '--import', 'tsx', 'src/main.ts'], { cwd: join(root, 'apps', 'demo'), stdio: 'inherit', env });
  process.exit(demo.status ?? 1);
} else {
  console.error(`[parapet] unknown task "${task}"; expected "test" or "demo".`);
  process.exit(2);
}
