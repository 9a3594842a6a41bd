/** Helpers for CLI tests: run the real bin, write configs where workspace packages resolve. */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

/** Removes the folders `scratch()` made; call from afterAll. */
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
