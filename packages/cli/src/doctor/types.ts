/**
 * The doctor's vocabulary: a check inspects one thing and returns one finding. Finding ids are
 * public API (docs/troubleshooting.md has one section per id; `--json` prints them): never rename
 * one, add a new id instead.
 */
import type { ParapetConfig } from '@parapet/core/slo';
import type { Io } from '../io.js';
import type { SourceResult } from './source.js';

/** info: fine or informational; warn: a risk; error: broken or unsafe; skip: could not be checked. */
export type Status = 'info' | 'warn' | 'error' | 'skip';
export const STATUSES: readonly Status[] = ['error', 'warn', 'info', 'skip'];

/** Where a check group gets its inputs from. */
export type CheckGroup = 'config' | 'source' | 'database' | 'environment' | 'live';

/** What a check returns: one status, what it saw, and (for warn and error) how to fix it. */
export interface Outcome {
  readonly status: Status;
  /** What is wrong (or what was verified), one or more sentences. */
  readonly message: string;
  /** How to fix it; required for warn and error. */
  readonly fix?: string;
  /** Extra lines: the file:line of each problem, each failing slice, ... */
  readonly details?: readonly string[];
}

/** A check's outcome with its id, title and documentation link: what the report prints. */
export interface Finding extends Outcome {
  readonly id: string;
  readonly title: string;
  readonly group: CheckGroup;
  /**
   * `<guide>#<id>`: the troubleshooting guide as the user can open it from the project
   * (`node_modules/@parapet/cli/TROUBLESHOOTING.md#<id>`; `docs/troubleshooting.md#<id>` in the
   * Parapet repository).
   */
  readonly docs: string;
}

/** The command line's inputs, after parsing. */
export interface DoctorOptions {
  readonly config: string;
  readonly databaseUrl?: string;
  /** Base URL of the running app (live checks). */
  readonly url?: string;
  /** Bearer token for the app's /metrics (else PARAPET_METRICS_TOKENS' first token). */
  readonly metricsToken?: string;
  readonly prometheus?: string;
  readonly alertmanager?: string;
  /** Folder `parapet gen prometheus` wrote to (drift check). */
  readonly rules: string;
  /** Entry file of the app (else detected). */
  readonly entry?: string;
}

/** Everything a check may read. Expensive inputs are computed once and shared (see context.ts). */
export interface DoctorContext {
  readonly io: Io;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly options: DoctorOptions;
  /** The troubleshooting guide's path, as findings print it (without `#<id>`). */
  readonly docs: string;
  /** The loaded config; throws what `loadConfig` throws. */
  config(): Promise<ParapetConfig>;
  /** The entry file's analysis (computed once), or why there is none. */
  source(): SourceResult;
  /** fetch with a timeout, for the live checks. */
  readonly fetch: (url: string, init?: RequestInit) => Promise<Response>;
}

export interface Check {
  readonly id: string;
  readonly title: string;
  readonly group: CheckGroup;
  run(context: DoctorContext): Promise<Outcome>;
}

/** The guide in the Parapet repository: the source of the TROUBLESHOOTING.md that ships in the package. */
export const DOCS_PAGE = 'docs/troubleshooting.md';

/** Shorthands the checks use. */
export const ok = (message: string, details?: readonly string[]): Outcome => ({ status: 'info', message, ...(details ? { details } : {}) });
export const skip = (message: string): Outcome => ({ status: 'skip', message });
export const warn = (message: string, fix: string, details?: readonly string[]): Outcome => ({ status: 'warn', message, fix, ...(details ? { details } : {}) });
export const error = (message: string, fix: string, details?: readonly string[]): Outcome => ({ status: 'error', message, fix, ...(details ? { details } : {}) });

/** Whether a helper returned an outcome (a reason to stop) rather than its value. */
export const isOutcome = (value: unknown): value is Outcome =>
  typeof value === 'object' && value !== null && typeof (value as Outcome).status === 'string' && typeof (value as Outcome).message === 'string';
