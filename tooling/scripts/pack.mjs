#!/usr/bin/env node
// `npm run pack`: builds every publishable package (turbo, cached) and writes one installable
// tarball per package to ./packs/ at the repository root (the folder the docs' try-before-release
// path and the installer's `--from` use). `pnpm pack` replaces `workspace:` and `catalog:`
// ranges with real versions, and .pnpmfile.cjs drops the in-repo `parapet-source` condition.
// Needs the pinned pnpm on PATH (run through `npm run pack`, which provides it).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const packsDir = join(root, 'packs');

/** Workspace folders of every package that is published (not `private`). */
export function publishablePackages() {
  const dirs = [];
  for (const group of ['packages', 'integrations', 'starter-packs']) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base)) {
      const file = join(base, name, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      if (!pkg.private) dirs.push({ dir: join(base, name), name: pkg.name, version: pkg.version });
    }
  }
  return dirs;
}

function main() {
  const packages = publishablePackages();
  const pnpm = (args, cwd) => execFileSync('pnpm', args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  console.log(`[parapet] building ${packages.length} packages`);
  pnpm(['exec', 'turbo', 'run', 'build', '--output-logs=errors-only', ...packages.map((p) => `--filter=${p.name}`)], root);
  rmSync(packsDir, { recursive: true, force: true });
  mkdirSync(packsDir, { recursive: true });
  for (const p of packages) pnpm(['pack', '--pack-destination', packsDir], p.dir);
  const tarballs = readdirSync(packsDir).filter((f) => f.endsWith('.tgz')).sort();
  if (tarballs.length !== packages.length) {
    console.error(`[parapet] expected ${packages.length} tarballs in ${relative(root, packsDir)}/, found ${tarballs.length}`);
    process.exit(1);
  }
  console.log(`[parapet] wrote ${tarballs.length} tarballs to ${relative(root, packsDir)}/:\n${tarballs.map((t) => `  ${t}`).join('\n')}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
