#!/usr/bin/env node
// Loads the built package the way users will: `import` from ESM and `require` from CommonJS,
// through the package's own exports map, and checks both expose the same names.
// Usage (from a package folder, after build): node ../../tooling/scripts/check-exports.mjs [subpath ...]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8'));
const require = createRequire(join(process.cwd(), 'package.json'));
const subpaths = ['', ...process.argv.slice(2)];
let failed = false;
for (const sub of subpaths) {
  const id = sub ? `${pkg.name}/${sub}` : pkg.name;
  // ESM: the file the exports map gives `import` (Node resolves bare ids from this script's folder).
  const entry = pkg.exports[sub ? `./${sub}` : '.']?.import;
  const esmFile = typeof entry === 'string' ? entry : entry?.default;
  const esm = Object.keys(await import(pathToFileURL(join(process.cwd(), esmFile)).href)).filter((k) => k !== 'default').sort();
  const cjs = Object.keys(require(id)).filter((k) => k !== 'default' && k !== '__esModule').sort();
  if (esm.length === 0 || JSON.stringify(esm) !== JSON.stringify(cjs)) {
    console.error(`${id}: ESM and CJS builds differ or are empty.\n  esm: ${esm.join(', ')}\n  cjs: ${cjs.join(', ')}`);
    failed = true;
  } else {
    console.log(`${id}: ${esm.length} exports load from ESM and CJS`);
  }
}
process.exit(failed ? 1 : 0);
