/**
 * `parapet install` in two halves: `planInstall` looks at the project and decides every change
 * (pure apart from reading files), `applyPlan` installs the packages and then writes the files.
 * `--dry-run` prints the plan and stops.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModule } from 'magicast';
import { CliError } from '../errors.js';
import { detectProject, type AppCandidate, type Project } from '../project/index.js';
import { editEntry } from './codemod.js';
import { configSource, existingConfig } from './config-file.js';
import { DEFAULT_DATA_DIR, GENERATED_DIR, normalizeFeatures, packagesFor, type Features } from './features.js';
import { writeAtomic, type FileChange } from './files.js';
import { uncommittedChanges } from './git.js';
import { addScripts } from './package-json.js';
import { installSteps, listTarballs, missingPackages, runStep, type InstallStep } from './packages.js';
import { manualSnippet, type Piece } from './snippet.js';

export interface InstallOptions {
  /** `--from <dir>`: @parapet packages from this folder of packed tarballs. */
  readonly from?: string;
  readonly dryRun: boolean;
  readonly force: boolean;
  readonly features: Partial<Features>;
}

/** What happens to the entry file. */
export type EntryOutcome =
  | { readonly kind: 'edited'; readonly path: string; readonly app: AppCandidate; readonly added: readonly Piece[] }
  | { readonly kind: 'unchanged'; readonly path: string; readonly app: AppCandidate }
  | { readonly kind: 'manual'; readonly path: string | undefined; readonly reason: string; readonly snippet: string };

export interface InstallPlan {
  readonly project: Project & { readonly framework: NonNullable<Project['framework']> };
  readonly entry: EntryOutcome;
  /** Files to write, in order (the entry file last). package.json is re-read after the install. */
  readonly files: readonly FileChange[];
  readonly steps: readonly InstallStep[];
  /** Things left as they were, for the summary (an existing config, existing scripts). */
  readonly kept: readonly string[];
}

const FRAMEWORK_MAJORS = { express: [4, 5], hono: [4] } as const;

function checkProject(project: Project): asserts project is InstallPlan['project'] {
  if (project.packageJson === undefined) {
    throw new CliError(`No package.json in ${project.root}.\nHow to fix: run parapet install in your app's folder (the one with its package.json).`);
  }
  const framework = project.framework;
  if (framework === undefined) {
    throw new CliError(
      'Neither express nor hono is in package.json.\nHow to fix: run parapet install in the folder of your Express or Hono app; ' +
        'for another framework follow the manual steps in docs/getting-started.md (attach() and the metrics handler work with any server).',
    );
  }
  const supported: readonly number[] = FRAMEWORK_MAJORS[framework.name];
  if (framework.major !== undefined && !supported.includes(framework.major)) {
    throw new CliError(`${framework.name} ${framework.version} is not supported (Parapet supports ${framework.name} ${supported.join(' and ')}).\nHow to fix: upgrade ${framework.name}, then run parapet install again.`);
  }
}

/** Reads the project and decides every change. Writes nothing, installs nothing. */
export function planInstall(root: string, options: InstallOptions): InstallPlan {
  // --from first: a wrong folder is an error even when nothing needs installing (an app already set up).
  if (options.from !== undefined) listTarballs(options.from);
  const project = detectProject(root);
  checkProject(project);
  const framework = project.framework.name;
  const features = normalizeFeatures(options.features);
  const files: FileChange[] = [];
  const kept: string[] = [];

  const config = existingConfig(root);
  if (config) kept.push(`${config} (exists; left as it is)`);
  else {
    const source = configSource();
    parseModule(source); // re-parse what is written, like the entry file
    files.push({ path: 'parapet.config.ts', before: undefined, after: source, summary: 'created: the web-saas starter pack and the Alertmanager webhook receiver' });
  }

  const manifestText = readFileSync(join(root, 'package.json'), 'utf8');
  let scripts;
  try {
    scripts = addScripts(manifestText);
  } catch (error) {
    throw new CliError(`package.json is not valid JSON (${(error as Error).message}).\nHow to fix: correct it (npm would fail on it too), then run parapet install again.`);
  }
  if (scripts) files.push({ path: 'package.json', before: manifestText, after: scripts.text, summary: `scripts: ${scripts.added.join(', ')}` });
  else kept.push('package.json scripts (parapet:gen exists)');

  // Generated and data folders are not source: keep them out of git, and so out of the clean-tree
  // check a later `parapet install` makes (`parapet:gen` output would otherwise block it).
  const ignore = gitignoreWith(root, [
    { line: `/${GENERATED_DIR}/`, why: 'what `parapet:gen` generates' },
    ...(features.store ? [{ line: `/${DEFAULT_DATA_DIR}/`, why: "the evidence store's embedded database" }] : []),
  ]);
  if (ignore) files.push(ignore);

  const entry = planEntry(project, features);
  if (entry.change) files.push(entry.change);

  const steps = installSteps(project.packageManager, missingPackages(packagesFor(framework, features), project.packageJson), options.from);
  return { project, entry: entry.outcome, files, steps, kept };
}

/** `.gitignore` with the lines it lacks (`/x/`, `x/` or `x` already there counts), or undefined when it has them all. */
function gitignoreWith(root: string, wanted: readonly { line: string; why: string }[]): FileChange | undefined {
  const file = join(root, '.gitignore');
  const before = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  const present = new Set((before ?? '').split(/\r?\n/).map((l) => l.trim().replace(/^\//, '').replace(/\/$/, '')));
  const missing = wanted.filter(({ line }) => !present.has(line.replace(/^\//, '').replace(/\/$/, '')));
  if (missing.length === 0) return undefined;
  const after = (before === undefined || before === '' || before.endsWith('\n') ? (before ?? '') : `${before}\n`) + missing.map(({ line }) => `${line}\n`).join('');
  return { path: '.gitignore', before, after, summary: missing.map(({ line, why }) => `${line}: ${why}`).join('; ') };
}

function planEntry(project: InstallPlan['project'], features: Partial<Features>): { outcome: EntryOutcome; change?: FileChange } {
  const framework = project.framework.name;
  if (project.entry === undefined) {
    const syntax = project.moduleSystem;
    return {
      outcome: {
        kind: 'manual',
        path: undefined,
        reason: 'no entry file found (package.json main, a file in scripts.start, or src/index.ts, src/server.ts, server.js, app.js, index.js, …)',
        snippet: manualSnippet({ framework, language: project.language, app: 'app', features, syntax }),
      },
    };
  }
  const path = project.entry.path;
  const code = readFileSync(join(project.root, path), 'utf8');
  const result = editEntry(code, path, framework, { moduleSystem: project.moduleSystem, language: project.language, features });
  if (result.status === 'unrecognized') return { outcome: { kind: 'manual', path, reason: result.reason, snippet: result.snippet } };
  if (result.status === 'unchanged') return { outcome: { kind: 'unchanged', path, app: result.app } };
  return {
    outcome: { kind: 'edited', path, app: result.app, added: result.added },
    change: { path, before: code, after: result.code, summary: ['added:', ...result.added.map((p) => `  ${p.summary}`)].join('\n') },
  };
}

/** Refuses to edit a tree with uncommitted changes unless forced (the diff would mix the two). */
export function checkCleanTree(root: string, force: boolean): void {
  if (force) return;
  const dirty = uncommittedChanges(root);
  if (dirty.length === 0) return;
  const shown = dirty.slice(0, 5).map((line) => `  ${line}`).join('\n') + (dirty.length > 5 ? `\n  … and ${dirty.length - 5} more` : '');
  throw new CliError(
    `The git working tree has uncommitted changes; parapet install refuses to edit it so that its own changes stay reviewable on their own:\n${shown}\n` +
      'How to fix: commit or stash them first, or run with --dry-run to see the changes, or --force to install anyway.',
    { code: 'CONFLICT' },
  );
}

export interface ApplyHooks {
  /** Before each install step runs. */
  readonly onStep?: (step: InstallStep) => void;
  /** How a file is written (tests make it fail); atomic by default. */
  readonly write?: (file: string, text: string) => void;
}

/**
 * Installs the packages, then writes the files, the entry file last: if installing fails nothing
 * is written, and a failed write says exactly which files were already written.
 */
export async function applyPlan(plan: InstallPlan, hooks: ApplyHooks = {}): Promise<FileChange[]> {
  const root = plan.project.root;
  for (const step of plan.steps) {
    hooks.onStep?.(step);
    try {
      await runStep(root, step);
    } catch (error) {
      const done = plan.steps.slice(0, plan.steps.indexOf(step)).map((s) => s.argv.join(' '));
      throw new CliError(`${(error as Error).message}\nNo file was written${done.length > 0 ? ` (these ran before it: ${done.join('; ')})` : ''}.`, { code: 'UNAVAILABLE', cause: error });
    }
  }
  const written: FileChange[] = [];
  for (const change of plan.files) {
    const file = join(root, change.path);
    // The package manager rewrote package.json: add the scripts to what it wrote.
    const actual = change.path === 'package.json' ? packageJsonAfterInstall(file) : change;
    if (actual === undefined) continue;
    try {
      (hooks.write ?? writeAtomic)(file, actual.after);
      written.push(actual);
    } catch (error) {
      const left = plan.files.slice(plan.files.indexOf(change)).map((c) => c.path);
      throw new CliError(
        `Writing ${change.path} failed: ${(error as Error).message}\n` +
          `Written before it: ${written.length > 0 ? written.map((c) => c.path).join(', ') : 'nothing'}${plan.steps.length > 0 ? ' (and the packages are installed)' : ''}. Not written: ${left.join(', ')}.\n` +
          'How to fix: fix the cause (permissions, disk space), then run parapet install again: it completes what is missing and leaves the rest.',
        { code: 'INTERNAL', cause: error },
      );
    }
  }
  return written;
}

function packageJsonAfterInstall(file: string): FileChange | undefined {
  const text = readFileSync(file, 'utf8');
  const scripts = addScripts(text);
  return scripts && { path: 'package.json', before: text, after: scripts.text, summary: `scripts: ${scripts.added.join(', ')}` };
}
