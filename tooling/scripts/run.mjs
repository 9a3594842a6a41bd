#!/usr/bin/env node
// Entry point behind `npm test` and `npm run demo`: makes sure pnpm and the workspace's
// dependencies are installed (only Node >= 20.19 and npm are assumed), then runs the task.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmSpec = pkg.packageManager; // e.g. pnpm@10.34.9

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`[parapet] Node ${process.versions.node} is too old: Parapet needs Node >= 20.19.`);
  process.exit(1);
}

function pnpmCommand() {
  try {
    const version = execFileSync('pnpm', ['--version'], { encoding: 'utf8' }).trim();
    if (`pnpm@${version}` === pnpmSpec) return ['pnpm', []];
  } catch {}
  return ['npx', ['--yes', pnpmSpec]];
}

function run(args, extraEnv = {}) {
  const [cmd, prefix] = pnpmCommand();
  const result = spawnSync(cmd, [...prefix, ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...extraEnv },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const task = process.argv[2];
const frozen = existsSync(join(root, 'pnpm-lock.yaml')) && process.env.CI ? ['--frozen-lockfile'] : [];
run(['install', ...frozen, '--config.confirmModulesPurge=false']);

if (task === 'test') {
  run(['exec', 'vitest', 'run', ...process.argv.slice(3)]);
} else if (task === 'demo') {
  run(['--filter', '@parapet/demo', 'start']);
} else {
  console.error(`[parapet] unknown task ${task}; expected test or demo`);
  process.exit(2);
}
