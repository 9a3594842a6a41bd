#!/usr/bin/env node
// The `parapet` command. Installed, it runs the built CLI (dist/). Inside the Parapet repository
// (src/ present) it runs the sources through jiti, the loader config files use too, with every
// workspace package's `parapet-source` export aliased so no build is needed.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workspaceSources } from './workspace-sources.mjs';

// A reader that stops early (`parapet gen … | head -3`) closes the pipe: the rest of the output has
// nowhere to go, which is not an error. Stop quietly, as `cat` and `git log` do, instead of
// crashing on the unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(packageDir, '..', '..');
const source = join(packageDir, 'src', 'main.ts');
const inRepository = existsSync(source) && existsSync(join(repoRoot, 'pnpm-workspace.yaml'));

let run;
// The troubleshooting guide the doctor links: the repository's, or the copy packed next to this bin.
let options = { troubleshooting: inRepository ? join(repoRoot, 'docs', 'troubleshooting.md') : join(packageDir, 'TROUBLESHOOTING.md') };
if (inRepository) {
  const alias = workspaceSources(repoRoot);
  const { createJiti } = await import('jiti').catch(() => {
    console.error('parapet: this repository is not installed yet. Run `npm test` or `npm run demo` once from its root (they install it), then retry.');
    process.exit(2);
  });
  ({ main: run } = await createJiti(import.meta.url, { alias }).import(source));
  options = { ...options, load: { alias } };
} else {
  ({ main: run } = await import('../dist/main.js'));
}
process.exitCode = await run(process.argv.slice(2), undefined, options);
