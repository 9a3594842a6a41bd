#!/usr/bin/env node
// Entry point behind `npm test`, `npm run demo` and `npm run pack`. Assumes only Node and npm:
// - on a Node older than the project needs (22.12), it fetches the pinned Node 24 from the npm
//   registry (the `node` package, through npx; it lands in the npx cache) and re-runs itself
//   with it, saying so in one line;
// - it fetches the pinned pnpm through npx when needed and puts it on PATH for every child
//   process (turbo, publint and friends call `pnpm`), installs the workspace, then runs the task.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pnpmSpec = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager; // pnpm@x.y.z

/** The oldest Node the project supports (`engines` in every package.json). */
const MIN_NODE = [22, 12];
/** The Node fetched when the running one is older; `.ci/run` pins its Node 22 the same way. */
export const FALLBACK_NODE = '24.21.0';

/** Path of the `node` binary from the npm registry's `node@<version>` package (npx cache). */
export function fetchNode(version) {
  const bin = execFileSync('npx', ['--yes', '-p', `node@${version}`, '-c', 'command -v node'], {
    encoding: 'utf8',
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
  const got = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
  if (got !== `v${version}`) throw new Error(`npx node@${version} gave ${bin} (${got})`);
  return bin;
}

/** Runs `node <args>` with the given binary first on PATH; returns the exit status. */
export function runWithNode(bin, args, env = process.env) {
  // The child shares the terminal: Ctrl-C reaches it directly; wait for it to finish.
  const ignore = () => {};
  process.on('SIGINT', ignore);
  process.on('SIGTERM', ignore);
  const result = spawnSync(bin, args, { stdio: 'inherit', env: { ...env, PATH: `${dirname(bin)}:${env.PATH}` } });
  process.off('SIGINT', ignore);
  process.off('SIGTERM', ignore);
  return result.status ?? 1;
}

function nodeIsTooOld() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  return major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1]);
}

function pnpmOnPath() {
  try {
    return `pnpm@${execFileSync('pnpm', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()}` === pnpmSpec;
  } catch {
    return false;
  }
}

/** PATH entry holding the pinned pnpm (fetched through npx when it is not already there). */
export function pnpmEnv(env = process.env) {
  if (pnpmOnPath()) return { ...env };
  const bin = execFileSync('npx', ['--yes', '-p', pnpmSpec, '-c', 'command -v pnpm'], { encoding: 'utf8', cwd: root }).trim();
  return { ...env, PATH: `${dirname(bin)}:${env.PATH}` };
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

function main() {
  const [task, ...rest] = process.argv.slice(2);

  if (nodeIsTooOld()) {
    let bin;
    try {
      bin = fetchNode(FALLBACK_NODE);
    } catch (error) {
      console.error(`[parapet] Node ${process.versions.node} is too old (Parapet needs >= ${MIN_NODE.join('.')}) and fetching Node ${FALLBACK_NODE} with \`npx -p node@${FALLBACK_NODE}\` failed: ${error.message}\nInstall Node 22.12+ or 24 and retry.`);
      process.exit(1);
    }
    console.log(`[parapet] Node ${process.versions.node} is older than ${MIN_NODE.join('.')}: running with Node ${FALLBACK_NODE} from the npm registry (npx node@${FALLBACK_NODE}).`);
    process.exit(runWithNode(bin, [fileURLToPath(import.meta.url), ...process.argv.slice(2)]));
  }

  const env = pnpmEnv();
  function run(args, { exitOnFailure = true } = {}) {
    const result = spawnSync('pnpm', args, { cwd: root, stdio: 'inherit', env });
    if (result.status !== 0 && exitOnFailure) process.exit(result.status ?? 1);
    return result.status ?? 1;
  }

  const frozen = process.env.CI && existsSync(join(root, 'pnpm-lock.yaml')) ? ['--frozen-lockfile'] : [];
  run(['install', ...frozen, '--config.confirmModulesPurge=false']);

  if (task === 'test') {
    // Static checks first (types, package exports), then every vitest project.
    run(['exec', 'turbo', 'run', 'typecheck', 'lint', '--output-logs=errors-only']);
    const reportFile = process.env.PARAPET_VITEST_REPORT ?? join(root, '.parapet-tmp', 'vitest-report.json');
    rmSync(reportFile, { force: true });
    const status = run(['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...rest], { exitOnFailure: false });
    if (!process.env.PARAPET_NO_SUMMARY) printSummary(reportFile);
    process.exit(status);
  } else if (task === 'demo') {
    // `npm run demo -- --fail` passes the demo's flags through (apps/demo/README.md).
    // Ctrl-C signals the whole process group: the demo closes its server and exits 0 by itself.
    // Wait for it instead of dying first, and run it with node directly: pnpm and its shell would
    // report the signal as a failure.
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => {});
    const demo = spawnSync(process.execPath, ['--conditions=parapet-source', '--import', 'tsx', 'src/main.ts', ...rest], { cwd: join(root, 'apps', 'demo'), stdio: 'inherit', env });
    process.exit(demo.status ?? 1);
  } else if (task === 'pack') {
    process.exit(runWithNode(process.execPath, [join(root, 'tooling', 'scripts', 'pack.mjs')], env));
  } else {
    console.error(`[parapet] unknown task "${task}"; expected "test", "demo" or "pack".`);
    process.exit(2);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
