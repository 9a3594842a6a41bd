/** The git safety rail: `parapet install` edits files, so it wants a clean tree to diff against. */
import { execFileSync } from 'node:child_process';

/**
 * Uncommitted changes (`git status --porcelain`, one `XY path` line each) in the repository
 * holding `root`; empty when the tree is clean, when `root` is not in a git repository, or when
 * git is not installed (both are fine: there is nothing to protect then, and `--dry-run` exists).
 */
export function uncommittedChanges(root: string): string[] {
  let out: string;
  try {
    out = execFileSync('git', ['status', '--porcelain', '--untracked-files=normal', '--', '.'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return [];
  }
  return out.split('\n').filter((line) => line.trim() !== '');
}
