// Inside the Parapet repository: every workspace package's `parapet-source` export, so the bin
// (and the CLI's own tests) load `@parapet/*` from source without a build.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** `@parapet/x[/sub]` -> its source file, for every workspace package that declares one. */
export function workspaceSources(root) {
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

