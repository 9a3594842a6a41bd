/**
 * What kind of project a folder holds: package manager, module system, language, framework and
 * entry file. Read-only and synchronous (a handful of small files); `parapet install` acts on it
 * and `parapet doctor` reports from it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, posix } from 'node:path';

export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';
export type ModuleSystem = 'esm' | 'cjs';
export type Language = 'ts' | 'js';
export type FrameworkName = 'express' | 'hono';

export interface PackageJson {
  readonly name?: string;
  readonly type?: string;
  readonly main?: string;
  readonly scripts?: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly [key: string]: unknown;
}

export interface Framework {
  readonly name: FrameworkName;
  /** The installed version (node_modules), else the declared range; undefined when neither says. */
  readonly version: string | undefined;
  /** First number of `version` (4 or 5 for Express); undefined when unknown. */
  readonly major: number | undefined;
  readonly source: 'installed' | 'declared';
}

export interface EntryFile {
  /** Relative to the project root, `/`-separated. */
  readonly path: string;
  /** Why this file: `package.json main`, `scripts.start`, `scripts.dev` or `common name`. */
  readonly reason: string;
}

export interface Project {
  readonly root: string;
  /** Undefined when the folder has no package.json (or it is not JSON). */
  readonly packageJson: PackageJson | undefined;
  /** From the lockfile; npm when there is none. */
  readonly packageManager: PackageManager;
  /** How Node runs the entry file: its extension (.mjs/.mts, .cjs/.cts), else package.json `type`. */
  readonly moduleSystem: ModuleSystem;
  /** TypeScript when the entry file is .ts/.mts/.cts, or (no entry found) a tsconfig.json exists. */
  readonly language: Language;
  /** Express or Hono from the dependencies; undefined when neither is declared nor installed. */
  readonly framework: Framework | undefined;
  readonly entry: EntryFile | undefined;
}

/** Lockfile → package manager, in the order a project that has several most likely uses. */
const LOCKFILES: readonly (readonly [string, PackageManager])[] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
];

const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

/** Where servers usually start, most specific first. */
const COMMON_ENTRIES = ['src/index', 'src/server', 'src/app', 'src/main', 'server', 'app', 'index', 'main'].flatMap((base) =>
  SOURCE_EXTENSIONS.map((ext) => base + ext),
);

export function readPackageJson(root: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}

export function detectPackageManager(root: string): PackageManager {
  return LOCKFILES.find(([file]) => existsSync(join(root, file)))?.[1] ?? 'npm';
}

/** The module system Node applies to `file` (relative or absolute) in a project with this package.json. */
export function moduleSystemOf(file: string, packageJson: PackageJson | undefined): ModuleSystem {
  const ext = extname(file);
  if (ext === '.mjs' || ext === '.mts') return 'esm';
  if (ext === '.cjs' || ext === '.cts') return 'cjs';
  return packageJson?.type === 'module' ? 'esm' : 'cjs';
}

export function languageOf(file: string): Language {
  return /\.[mc]?ts$/.test(file) ? 'ts' : 'js';
}

function installedVersion(root: string, name: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Express or Hono, preferring `prefer` (the one the entry file imports) when both are present. */
export function detectFramework(root: string, packageJson: PackageJson | undefined, prefer?: FrameworkName): Framework | undefined {
  const declared = { ...packageJson?.devDependencies, ...packageJson?.dependencies };
  const found: Framework[] = [];
  for (const name of ['express', 'hono'] as const) {
    const installed = installedVersion(root, name);
    const version = installed ?? declared[name];
    if (version === undefined) continue;
    const major = /(\d+)/.exec(version)?.[1];
    found.push({ name, version, major: major === undefined ? undefined : Number(major), source: installed ? 'installed' : 'declared' });
  }
  return found.find((f) => f.name === prefer) ?? found[0];
}

/** A source file named in a script: `node server.js`, `tsx watch src/index.ts`, `node --import tsx src/app.ts`. */
function fileInScript(root: string, script: string | undefined): string | undefined {
  if (!script) return undefined;
  for (const word of script.split(/\s+/)) {
    const file = word.replace(/^\.\//, '');
    if (SOURCE_EXTENSIONS.includes(extname(file)) && existsSync(join(root, file))) return posix.normalize(file);
  }
  return undefined;
}

/**
 * The file that creates the server. `main` counts only when it is a source file that exists (a
 * `dist/` build output is not what the installer should edit); then `scripts.start`, `scripts.dev`,
 * then common names.
 */
export function detectEntry(root: string, packageJson: PackageJson | undefined): EntryFile | undefined {
  const main = packageJson?.main?.replace(/^\.\//, '');
  if (main && !/^(dist|build|lib|out)\//.test(main) && SOURCE_EXTENSIONS.includes(extname(main)) && existsSync(join(root, main))) {
    return { path: posix.normalize(main), reason: 'package.json main' };
  }
  for (const script of ['start', 'dev'] as const) {
    const file = fileInScript(root, packageJson?.scripts?.[script]);
    if (file) return { path: file, reason: `scripts.${script}` };
  }
  const common = COMMON_ENTRIES.find((file) => existsSync(join(root, file)));
  return common ? { path: common, reason: 'common name' } : undefined;
}

/** Which framework `code` imports or requires, if exactly one. */
function importedFramework(code: string): FrameworkName | undefined {
  const hono = /(?:from\s*|require\(\s*)['"]hono['"]/.test(code);
  const express = /(?:from\s*|require\(\s*)['"]express['"]/.test(code);
  return hono === express ? undefined : hono ? 'hono' : 'express';
}

/** Everything `parapet install` and `parapet doctor` need to know about the project at `root`. */
export function detectProject(root: string): Project {
  const packageJson = readPackageJson(root);
  const entry = detectEntry(root, packageJson);
  let prefer: FrameworkName | undefined;
  if (entry) {
    try {
      prefer = importedFramework(readFileSync(join(root, entry.path), 'utf8'));
    } catch {
      prefer = undefined;
    }
  }
  return {
    root,
    packageJson,
    packageManager: detectPackageManager(root),
    moduleSystem: moduleSystemOf(entry?.path ?? 'index.js', packageJson),
    language: entry ? languageOf(entry.path) : existsSync(join(root, 'tsconfig.json')) ? 'ts' : 'js',
    framework: detectFramework(root, packageJson, prefer),
    entry,
  };
}
