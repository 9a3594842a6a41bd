/** File changes as data: shown as unified diffs (`--dry-run`), written atomically otherwise. */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { createTwoFilesPatch } from 'diff';

export interface FileChange {
  /** Relative to the project root, `/`-separated. */
  readonly path: string;
  /** Undefined for a new file. */
  readonly before: string | undefined;
  readonly after: string;
  /** One line for the summary: what changed in it. */
  readonly summary: string;
}

/** A `git diff`-style unified diff of one change (`/dev/null` as the old side of a new file). */
export function unifiedDiff(change: FileChange): string {
  const patch = createTwoFilesPatch(change.before === undefined ? '/dev/null' : `a/${change.path}`, `b/${change.path}`, change.before ?? '', change.after, undefined, undefined, { context: 3 });
  // The package's first line ("===…") is not part of git's format; keep from the `---` header on.
  return patch.slice(patch.indexOf('--- '));
}

/**
 * Writes `text` to `file` so readers see the old or the new content, never half of it: a temp
 * file in the same folder (same filesystem), then rename. Keeps the old file's mode.
 */
export function writeAtomic(file: string, text: string): void {
  const temp = join(dirname(file), `.${basename(file)}.parapet-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let mode: number | undefined;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    mode = undefined;
  }
  try {
    writeFileSync(temp, text, mode === undefined ? {} : { mode });
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
