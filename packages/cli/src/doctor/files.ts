/** The host project's own files, as the text-level checks read them (never node_modules or build output). */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'out', 'coverage', '.next', '.turbo', '.tmp', '.cache']);
const SOURCE = /\.(ts|mts|cts|tsx|js|mjs|cjs|jsx)$/;
/** Enough for any app; a bound so a doctor run in the wrong folder (a home directory) stays fast. */
const MAX_FILES = 5000;
const MAX_BYTES = 1_000_000;

export interface ProjectFile {
  /** Relative to the project folder, with forward slashes. */
  readonly path: string;
  readonly text: string;
}

/** Source files (.ts .js ...) and env files (.env, .env.production, ...) under `cwd`. */
export function projectFiles(cwd: string): ProjectFile[] {
  const files: ProjectFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (files.length >= MAX_FILES) return;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(path);
      } else if (entry.isFile() && (SOURCE.test(entry.name) || /^\.env(\..+)?$/.test(entry.name)) && !entry.name.endsWith('.d.ts')) {
        if (statSync(path).size <= MAX_BYTES) files.push({ path: relative(cwd, path).split('\\').join('/'), text: readFileSync(path, 'utf8') });
      }
    }
  };
  walk(cwd);
  return files;
}

/** 1-based line number of `index` in `text`. */
export const lineOf = (text: string, index: number): number => text.slice(0, index).split('\n').length;

/** `cwd` and each parent, up to the filesystem root: where node looks for node_modules. */
export function ancestors(cwd: string): string[] {
  const dirs = [cwd];
  for (let dir = dirname(cwd); dir !== dirs.at(-1); dir = dirname(dir)) dirs.push(dir);
  return dirs;
}

/** The nearest package.json's parsed content, or undefined. */
export function readPackageJson(dir: string): Record<string, any> | undefined {
  const path = join(dir, 'package.json');
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;
  } catch {
    return undefined;
  }
}
