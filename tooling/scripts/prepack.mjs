#!/usr/bin/env node
// Every publishable package's `prepack`: refuse to pack a package that is not built, instead of
// shipping a tarball without code. Checks that each file the exports map, `main`, `module`,
// `types` and `bin` name (other than the in-repo `parapet-source` condition) exists.
// Pack through `npm run pack` at the repository root: it builds first, and uses `pnpm pack`,
// which rewrites `workspace:` ranges and drops the source condition (see .pnpmfile.cjs).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.cwd();
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

const targets = new Set();
function collect(value, key) {
  if (key === 'parapet-source') return;
  if (typeof value === 'string') targets.add(value);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) collect(v, k);
}
collect(pkg.exports);
for (const field of ['main', 'module', 'types']) if (pkg[field]) targets.add(pkg[field]);
collect(typeof pkg.bin === 'string' ? { bin: pkg.bin } : pkg.bin);

const missing = [...targets].filter((file) => !file.includes('*') && !existsSync(join(dir, file)));
if (missing.length > 0) {
  console.error(
    `[parapet] ${pkg.name}: refusing to pack, these files are missing: ${missing.join(', ')}.\n` +
      '  Build first, or pack every package with `npm run pack` at the repository root (builds, then writes ./packs/*.tgz).',
  );
  process.exit(1);
}
