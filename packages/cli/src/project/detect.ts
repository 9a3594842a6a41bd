/**
 * What kind of project a folder holds: package manager, module system, language, framework and
 * entry file. Read-only and synchronous (a handful of small files); `parapet install` acts on it
 * and `parapet doctor` reports from it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, posix, resolve } from 'node:path';
import { parseTsconfig } from 'get-tsconfig';

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
  /** The installed version (as Node resolves it from the project), else the declared range. */
  readonly version: string;
  /** First number of `version` (4 or 5 for Express); undefined when unknown. */
  readonly major: number | undefined;
  readonly source: 'installed' | 'declared';
}

export interface EntryFile {
  /** Relative to the project root, `/`-separated. */
  readonly path: string;
  /** Why this file: `package.json main`, `scripts.start`, `scripts.dev` or `common name`. */
  readonly reason: string;
  /**
   * The build output that `reason` names when `path` is its source (`dist/index.js` for
   * `src/index.ts`): the app runs compiled code, so a change shows only after a build.
   */
  readonly output?: string;
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
  /** Express or Hono from the dependencies; undefined when package.json declares neither. */
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

/**
 * The package manager whose lockfile is nearest: in `root`, else in a folder above it up to the
 * git repository's root (a package of a monorepo has its lockfile at the workspace root; a stray
 * lockfile outside the repository is not the project's). npm when there is none.
 */
export function detectPackageManager(root: string): PackageManager {
  for (let dir = resolve(root); ; dir = dirname(dir)) {
    const found = LOCKFILES.find(([file]) => existsSync(join(dir, file)));
    if (found) return found[1];
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) return 'npm';
  }
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

/** The version Node would load from `root`: its node_modules, or one above it (hoisted in a monorepo). */
function installedVersion(root: string, name: string): string | undefined {
  try {
    const manifest = createRequire(join(resolve(root), 'package.json')).resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

const majorOf = (version: string | undefined) => {
  const digits = version === undefined ? undefined : /(\d+)/.exec(version)?.[1];
  return digits === undefined ? undefined : Number(digits);
};

/**
 * Express or Hono as package.json declares it, preferring `prefer` (the one the entry file
 * imports) when both are. The installed version is used when it has the declared major (a
 * hoisted copy of another major, in a monorepo, is not this project's).
 */
export function detectFramework(root: string, packageJson: PackageJson | undefined, prefer?: FrameworkName): Framework | undefined {
  const declared = { ...packageJson?.devDependencies, ...packageJson?.dependencies };
  const found: Framework[] = [];
  for (const name of ['express', 'hono'] as const) {
    const range = declared[name];
    if (range === undefined) continue;
    const installed = installedVersion(root, name);
    const matches = installed !== undefined && (majorOf(range) === undefined || majorOf(installed) === majorOf(range));
    const version = matches ? installed : range;
    found.push({ name, version, major: majorOf(version), source: matches ? 'installed' : 'declared' });
  }
  return found.find((f) => f.name === prefer) ?? found[0];
}

/** Every file with a source extension named in a script: `node dist/index.js`, `tsx watch src/index.ts`. */
function filesInScript(script: string | undefined): string[] {
  return (script ?? '')
    .split(/\s+/)
    .map((word) => word.replace(/^['"]|['"]$/g, '').replace(/^\.\//, ''))
    .filter((file) => SOURCE_EXTENSIONS.includes(extname(file)))
    .map((file) => posix.normalize(file));
}

/** Where tsc writes and reads: tsconfig.json's outDir and rootDir (through `extends`), relative and `/`-separated. */
interface BuildLayout {
  readonly outDir: string | undefined;
  /** Folders an output file's source may sit in: rootDir when set, else where `include` points, `src`, the root. */
  readonly sourceRoots: readonly string[];
}

const relativeDir = (dir: string) => posix.normalize(dir.replace(/\\/g, '/')).replace(/^\.\/?/, '').replace(/\/$/, '');

function buildLayout(root: string): BuildLayout {
  let config: ReturnType<typeof parseTsconfig> | undefined;
  try {
    config = existsSync(join(root, 'tsconfig.json')) ? parseTsconfig(join(root, 'tsconfig.json')) : undefined;
  } catch {
    config = undefined; // a tsconfig tsc cannot read either: nothing to map through
  }
  const options = config?.compilerOptions;
  // outDir "." (output beside the sources) cannot tell outputs apart by folder: git-ignore decides then.
  const outDir = options?.outDir === undefined || relativeDir(options.outDir) === '' ? undefined : relativeDir(options.outDir);
  if (options?.rootDir !== undefined) return { outDir, sourceRoots: [relativeDir(options.rootDir)] };
  // Without rootDir tsc uses the common folder of its inputs: usually the one `include` names.
  const included = (config?.include ?? []).map((pattern) => relativeDir(pattern.split(/[*?{]/)[0] ?? '')).filter((dir) => !extname(dir));
  return { outDir, sourceRoots: [...new Set([...included, 'src', ''])] };
}

/** The source extensions tsc compiles to `ext`, TypeScript first (allowJs copies .js through). */
const SOURCES_OF: Record<string, readonly string[]> = { '.js': ['.ts', '.tsx', '.js'], '.mjs': ['.mts', '.mjs'], '.cjs': ['.cts', '.cjs'] };

/** `dist/index.js` → `src/index.ts`: the existing source tsc compiles to an output file, through rootDir/outDir. */
function sourceOf(root: string, file: string, layout: BuildLayout): string | undefined {
  if (layout.outDir === undefined || !isUnder(file, layout.outDir)) return undefined;
  const inOut = layout.outDir === '' ? file : file.slice(layout.outDir.length + 1);
  const stem = inOut.slice(0, -extname(inOut).length);
  for (const dir of layout.sourceRoots) {
    for (const ext of SOURCES_OF[extname(inOut)] ?? []) {
      const candidate = posix.join(dir, stem + ext);
      if (existsSync(join(root, candidate))) return candidate;
    }
  }
  return undefined;
}

const isUnder = (file: string, dir: string) => dir === '' || file.startsWith(`${dir}/`);

/**
 * The paths among `files` that git ignores in the repository holding `root` (`git check-ignore`);
 * none when `root` is not in a repository or git is not installed.
 */
function gitIgnored(root: string, files: readonly string[]): Set<string> {
  if (files.length === 0) return new Set();
  let out: string;
  try {
    out = execFileSync('git', ['check-ignore', '--', ...files], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (error) {
    // Exit 1: none of them is ignored (stdout empty); 128: not a repository.
    out = String((error as { stdout?: string }).stdout ?? '');
  }
  const ignored = new Set(out.split('\n').filter(Boolean));
  // A project inside a folder its enclosing repository ignores (a scratch copy, a vendored app):
  // everything is ignored there, so ignoring says nothing about what is generated.
  return ignored.has('package.json') ? new Set() : ignored;
}

/**
 * Folders that hold build output by convention, when no tsconfig says where it goes. `lib/` only
 * for `main` (a package's compiled entry): a JavaScript app may well keep its server in lib/.
 */
const OUTPUT_DIRS = /^(dist|build|out)\//;
const MAIN_OUTPUT_DIRS = /^(dist|build|out|lib)\//;

/**
 * The file that creates the server, as source: the installer edits it and the doctor reads it, so
 * a build output (under tsconfig's outDir, in dist/ and the like, or git-ignored) is never picked;
 * it is mapped back to the source tsc compiles it from (dist/index.js → src/index.ts, through
 * rootDir/outDir). Candidates in order: package.json `main`, the files `scripts.start` and
 * `scripts.dev` run, then common names.
 */
export function detectEntry(root: string, packageJson: PackageJson | undefined): EntryFile | undefined {
  const layout = buildLayout(root);
  const named: { file: string; reason: string }[] = [];
  const main = packageJson?.main?.replace(/^\.\//, '');
  if (main && SOURCE_EXTENSIONS.includes(extname(main))) named.push({ file: posix.normalize(main), reason: 'package.json main' });
  for (const script of ['start', 'dev'] as const) {
    for (const file of filesInScript(packageJson?.scripts?.[script])) named.push({ file, reason: `scripts.${script}` });
  }
  const candidates = [...named, ...COMMON_ENTRIES.map((file) => ({ file, reason: 'common name' }))];
  const ignored = gitIgnored(root, ['package.json', ...new Set(candidates.map((c) => c.file))]);
  const isOutput = (file: string, reason: string) =>
    ignored.has(file) || (layout.outDir !== undefined ? isUnder(file, layout.outDir) : (reason === 'package.json main' ? MAIN_OUTPUT_DIRS : OUTPUT_DIRS).test(file));
  for (const { file, reason } of candidates) {
    if (!isOutput(file, reason)) {
      if (existsSync(join(root, file))) return { path: file, reason };
      continue;
    }
    const source = sourceOf(root, file, layout);
    if (source !== undefined && !gitIgnored(root, ['package.json', source]).has(source)) return { path: source, reason, output: file };
  }
  return undefined;
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
