#!/usr/bin/env node
// The doctor links every finding to a section of the troubleshooting guide, so the guide ships in
// the @parapet/cli tarball as TROUBLESHOOTING.md. docs/troubleshooting.md stays the one source:
// this script writes the copy at `prepack` (the copy is git-ignored), with the links that point
// elsewhere in the repository turned into ones that work from node_modules/@parapet/cli/.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SOURCE = join(packageDir, '..', '..', 'docs', 'troubleshooting.md');
export const COPY = join(packageDir, 'TROUBLESHOOTING.md');

/**
 * The shipped text: a note on where it comes from, then the guide with its relative links
 * rewritten: `../packages/cli/README.md` → this package's README, `../packages/<name>/README.md`
 * → the sibling `@parapet/<name>` package, another doc → its name in the repository (plain text).
 */
export function shippedTroubleshooting(source) {
  const body = source.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (link, label, target) => {
    if (/^(https?:|#)/.test(target)) return link;
    const pkg = /^\.\.\/packages\/([^/]+)\/(README\.md(?:#.*)?)$/.exec(target);
    if (pkg) return `[${label}](${pkg[1] === 'cli' ? pkg[2] : `../${pkg[1]}/${pkg[2]}`})`;
    const doc = `docs/${target.replace(/^\.\//, '')}`;
    return label === doc ? `${doc} in the Parapet repository` : `${label} (${doc} in the Parapet repository)`;
  });
  return (
    '<!-- Generated from docs/troubleshooting.md of the Parapet repository when @parapet/cli is packed; edit that file. -->\n' +
    body
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(COPY, shippedTroubleshooting(readFileSync(SOURCE, 'utf8')));
}
