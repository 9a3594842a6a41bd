#!/usr/bin/env node
// The `parapet` command. Installed, it runs the built CLI (dist/). Inside the Parapet repository
// (src/ present) it runs the sources through jiti, the loader config files use too, with every
// workspace package's `parapet-source` export aliased so no build is needed.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(packageDir, '..', '..');
const source = join(packageDir, 'src', 'main.ts');
const inRepository = existsSync(source) && existsSync(join(repoRoot, 'pnpm-workspace.yaml'));

/** `@parapet/x[/sub]` -> its source file, for every workspace package that declares one. */
function workspaceSources(root) {
  const alias = {};
  for (const group of ['packages', 'integrations', 'starter-packs', 'tooling', 'apps']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const manifest = join(dir, name, 'package.json');
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
      for (const [sub, target] of Object.entries(pkg.exports ?? {})) {
        const file = typeof target === 'object' && target ? target['parapet-source'] : undefined;
        if (typeof file === 'string') alias[pkg.name + sub.slice(1)] = join(dir, name, file);
      }
    }
  }
  return alias;
}

let run;
let options = {};
if (inRepository) {
  const alias = workspaceSources(repoRoot);
  const { createJiti } = await import('jiti').catch(() => {
    console.error('parapet: this repository is not installed yet. Run `npm test` or `npm run demo` once from its root (they install it), then retry.');
    process.exit(2);
  });
  ({ main: run } = await createJiti(import.meta.url, { alias }).import(source));
  options = { load: { alias } };
} else {
  ({ main: run } = await import('../dist/main.js'));
}
process.exitCode = await run(process.argv.slice(2), undefined, options);
