/** Helpers for CLI tests: run the real bin, write configs where workspace packages resolve. */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = join(packageDir, '..', '..');
export const bin = join(packageDir, 'bin', 'parapet.mjs');

/** A fresh folder inside this package (so `@parapet/*` imports resolve), ignored by git. */
const made: string[] = [];
export function scratch(): string {
  mkdirSync(join(packageDir, '.tmp'), { recursive: true });
  const dir = mkdtempSync(join(packageDir, '.tmp', 'run-'));
  made.push(dir);
  return dir;
}

/**
 * A fresh project outside the repository, as `npm init -y` makes it (CommonJS), or with
 * `"type": "module"`, whose node_modules link the workspace packages a config imports.
 */
export async function project(type: 'commonjs' | 'module'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `parapet-cli-${type}-`));
  made.push(dir);
  const init = await exec(npm, ['init', '-y'], dir);
  if (init.code !== 0) throw new Error(`npm init -y failed in ${dir}: ${init.stderr}`);
  if (type === 'module') {
    const set = await exec(npm, ['pkg', 'set', 'type=module'], dir);
    if (set.code !== 0) throw new Error(`npm pkg set type=module failed: ${set.stderr}`);
  }
  mkdirSync(join(dir, 'node_modules', '@parapet'), { recursive: true });
  for (const [name, path] of Object.entries(workspacePackages)) symlinkSync(join(repoRoot, path), join(dir, 'node_modules', '@parapet', name), 'dir');
  return dir;
}

const workspacePackages = {
  core: 'packages/core',
  cli: 'packages/cli',
  'starter-pack-web-saas': 'starter-packs/web-saas',
  'starter-pack-delivery-saas': 'starter-packs/delivery-saas',
};

/** npm as a user has it: on PATH. */
export const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Removes the folders `scratch()` and `project()` made; call from afterAll. */
export function removeScratch(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function write(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

export async function exec(cmd: string, args: string[], cwd = repoRoot): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(cmd, args, { cwd, env: { ...process.env, NODE_OPTIONS: '' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

export const parapet = (args: string[], cwd = repoRoot) => exec(process.execPath, [bin, ...args], cwd);

/**
 * Every file below `dir` with its content, leaving out `skip` folders (what an install run may
 * have changed: compare two snapshots to prove it changed nothing).
 */
export function snapshot(dir: string, skip: readonly string[] = ['.git', 'node_modules']): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (d: string) => {
    for (const entry of readdirSync(d)) {
      if (skip.includes(entry)) continue;
      const path = join(d, entry);
      if (statSync(path).isDirectory()) visit(path);
      else out[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  visit(dir);
  return out;
}

/**
 * Builds a copied TypeScript fixture as its `build` script would (`tsc`, this repository's copy):
 * dist/ appears, as on a developer's machine after `npm run build`. `--noCheck`: the copy has no
 * node_modules for its types (tsc still reports the missing @types/node); only the emitted files matter.
 */
export function buildWithTsc(dir: string): void {
  try {
    execFileSync(process.execPath, [join(packageDir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.', '--noCheck'], { cwd: dir, stdio: 'pipe' });
  } catch (error) {
    // Exit 2 is tsc's "diagnostics, outputs generated" (here: the missing @types/node); anything else failed.
    if ((error as { status?: number }).status !== 2) throw error;
  }
}

/** `git init` and one commit of everything (the .gitignore of the project applies). */
export function commitAll(dir: string): void {
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: dir, stdio: 'pipe' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'the app');
}
