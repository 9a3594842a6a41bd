/**
 * Adding the packages with the project's own package manager. With `--from <dir>` the @parapet
 * packages come from a folder of packed tarballs (`npm run pack` writes them to ./packs), all in
 * the same command so their dependencies on each other resolve to those tarballs, not the registry.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError } from '../errors.js';
import type { PackageJson, PackageManager } from '../project/index.js';
import type { PackageSpec } from './features.js';

export interface InstallStep {
  readonly dev: boolean;
  /** The package names, for the summary. */
  readonly names: readonly string[];
  /** argv: the package manager, then its arguments. */
  readonly argv: readonly string[];
}

const ADD: Record<PackageManager, { readonly add: readonly string[]; readonly dev: string }> = {
  npm: { add: ['install', '--no-audit', '--no-fund'], dev: '--save-dev' },
  pnpm: { add: ['add'], dev: '--save-dev' },
  yarn: { add: ['add'], dev: '--dev' },
  bun: { add: ['add'], dev: '--dev' },
};

/** The tarball for `name` in `dir`: `@parapet/core` → `parapet-core-<version>.tgz` (npm pack's naming). */
function tarball(dir: string, files: readonly string[], name: string): string {
  const prefix = name.replace(/^@/, '').replace('/', '-') + '-';
  const match = files.filter((f) => f.startsWith(prefix) && /^\d/.test(f.slice(prefix.length)) && f.endsWith('.tgz'));
  if (match.length === 0) {
    throw new CliError(`--from ${dir}: no tarball for ${name} (looked for ${prefix}<version>.tgz).\nHow to fix: run \`npm run pack\` in the Parapet repository and pass its packs/ folder.`, { code: 'USAGE' });
  }
  // Several versions: the last in version order is the newest.
  return resolve(dir, match.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1)!);
}

/** Specs the project does not declare yet (a second run installs nothing). */
export function missingPackages(specs: readonly PackageSpec[], packageJson: PackageJson | undefined): PackageSpec[] {
  const declared = { ...packageJson?.dependencies, ...packageJson?.devDependencies };
  return specs.filter((s) => declared[s.name] === undefined);
}

/** At most two commands (dependencies, then devDependencies) that add `specs`. */
export function installSteps(manager: PackageManager, specs: readonly PackageSpec[], from?: string): InstallStep[] {
  const files = from !== undefined && specs.some((s) => s.name.startsWith('@parapet/')) ? listTarballs(from) : [];
  const arg = (s: PackageSpec) => (from !== undefined && s.name.startsWith('@parapet/') ? tarball(from, files, s.name) : s.range ? `${s.name}@${s.range}` : s.name);
  const steps: InstallStep[] = [];
  for (const dev of [false, true]) {
    const group = specs.filter((s) => s.dev === dev);
    if (group.length === 0) continue;
    steps.push({ dev, names: group.map((s) => s.name), argv: [manager, ...ADD[manager].add, ...(dev ? [ADD[manager].dev] : []), ...group.map(arg)] });
  }
  return steps;
}

/** The files of the `--from` folder; a folder that does not exist is a usage error, whatever else is to do. */
export function listTarballs(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    throw new CliError(`--from ${dir}: no such folder.\nHow to fix: pass the folder \`npm run pack\` wrote (packs/ at the root of the Parapet repository).`, { code: 'USAGE' });
  }
}

/** Runs one step in `root`; resolves with its output, rejects with a CliError carrying that output. */
export function runStep(root: string, step: InstallStep): Promise<string> {
  const [command, ...args] = step.argv;
  return new Promise((resolvePromise, reject) => {
    // Windows runs npm/pnpm/yarn through their .cmd shims, which need a shell.
    const child = spawn(command!, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32', env: process.env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const fail = (why: string) =>
      reject(new CliError(`\`${step.argv.join(' ')}\` ${why}.\n${output.trim()}\nHow to fix: run that command yourself to see why, then run parapet install again.`, { code: 'UNAVAILABLE' }));
    child.on('error', (error) => fail(`could not start (${error.message})`));
    child.on('close', (code) => (code === 0 ? resolvePromise(output) : fail(`failed (exit ${code})`)));
  });
}
