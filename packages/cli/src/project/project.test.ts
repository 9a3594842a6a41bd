import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWithTsc, commitAll, packageDir } from '../test-support.js';
import { detectProject, findApps } from './index.js';

const fixtures = join(packageDir, 'test', 'fixtures', 'apps');

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A copy of a fixture app in a temp folder, so lockfiles and installed versions can be added. */
function copy(name: string): string {
  const dir = temp(`parapet-detect-${name}-`);
  cpSync(join(fixtures, name), dir, { recursive: true });
  return dir;
}

describe('detectProject on the fixture apps', () => {
  it('Express 4, ESM JavaScript: main names the entry; the framework comes from the declared range', () => {
    const project = detectProject(join(fixtures, 'express4-esm'));
    expect(project).toMatchObject({
      // No lockfile of its own: the nearest is this repository's.
      packageManager: 'pnpm',
      moduleSystem: 'esm',
      language: 'js',
      framework: { name: 'express', version: '^4.21.2', major: 4, source: 'declared' },
      entry: { path: 'server.js', reason: 'package.json main' },
    });
  });

  it('Express 5, TypeScript: scripts.start names the entry', () => {
    expect(detectProject(join(fixtures, 'express5-ts'))).toMatchObject({
      moduleSystem: 'esm',
      language: 'ts',
      framework: { name: 'express', major: 5 },
      entry: { path: 'src/server.ts', reason: 'scripts.start' },
    });
  });

  it('Express, CommonJS: no "type" means CommonJS', () => {
    expect(detectProject(join(fixtures, 'express-cjs'))).toMatchObject({
      moduleSystem: 'cjs',
      language: 'js',
      framework: { name: 'express', major: 4 },
      entry: { path: 'app.js' },
    });
  });

  it('Hono, TypeScript', () => {
    expect(detectProject(join(fixtures, 'hono-ts'))).toMatchObject({
      moduleSystem: 'esm',
      language: 'ts',
      framework: { name: 'hono', major: 4 },
      entry: { path: 'src/index.ts', reason: 'scripts.start' },
    });
  });

  it('the package manager comes from the lockfile; the installed framework version wins over the declared range', () => {
    const dir = copy('express5-ts');
    for (const [lockfile, manager] of [['package-lock.json', 'npm'], ['bun.lockb', 'bun'], ['yarn.lock', 'yarn'], ['pnpm-lock.yaml', 'pnpm']] as const) {
      writeFileSync(join(dir, lockfile), '');
      expect(detectProject(dir).packageManager).toBe(manager);
    }
    // A package of a monorepo: the lockfile is at the workspace root, above it.
    const member = join(dir, 'packages', 'api');
    mkdirSync(member, { recursive: true });
    expect(detectProject(member).packageManager).toBe('pnpm');
    // A lockfile above the git repository's root is not the project's.
    const nested = join(dir, 'vendor', 'app');
    mkdirSync(join(nested, '.git'), { recursive: true });
    expect(detectProject(nested).packageManager).toBe('npm');
    mkdirSync(join(dir, 'node_modules', 'express'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'express', 'package.json'), JSON.stringify({ name: 'express', version: '5.3.0' }));
    expect(detectProject(dir).framework).toEqual({ name: 'express', version: '5.3.0', major: 5, source: 'installed' });
    // A copy of another major (hoisted from elsewhere in a monorepo) is not this project's.
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ dependencies: { express: '^4.21.2' } }));
    expect(detectProject(dir).framework).toEqual({ name: 'express', version: '^4.21.2', major: 4, source: 'declared' });
  });

  it('the extension decides the module system over package.json "type"; common names are found without scripts', () => {
    const dir = temp('parapet-detect-');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', dependencies: { hono: '4.9.0', express: '5.1.0' } }));
    writeFileSync(join(dir, 'server.cts'), "const { Hono } = require('hono');\nconst app = new Hono();\n");
    expect(detectProject(dir)).toMatchObject({ moduleSystem: 'cjs', language: 'ts', entry: { path: 'server.cts', reason: 'common name' }, framework: { name: 'hono' } });
  });

  it('a built TypeScript app: the source, not the dist/ output that main and scripts.start name', () => {
    const dir = copy('express-built-ts');
    commitAll(dir);
    buildWithTsc(dir);
    expect(readFileSync(join(dir, 'dist', 'index.js'), 'utf8')).toContain('express()');
    // main and `node dist/index.js` name the output; rootDir/outDir map it back to src/index.ts.
    expect(detectProject(dir)).toMatchObject({ language: 'ts', moduleSystem: 'esm', entry: { path: 'src/index.ts', reason: 'package.json main', output: 'dist/index.js' } });
    // Not built yet (a fresh clone): the same answer.
    rmSync(join(dir, 'dist'), { recursive: true });
    expect(detectProject(dir).entry).toEqual({ path: 'src/index.ts', reason: 'package.json main', output: 'dist/index.js' });
  });

  it('a build output is never the entry: outDir without rootDir, another outDir name, a git-ignored file, the dev script', () => {
    const dir = temp('parapet-detect-built-');
    const json = (name: string, value: unknown) => writeFileSync(join(dir, name), JSON.stringify(value));
    json('package.json', { type: 'module', scripts: { start: 'node build/server.js', dev: 'tsx watch app/main.ts' }, dependencies: { express: '5.1.0' } });
    mkdirSync(join(dir, 'app'));
    mkdirSync(join(dir, 'build'));
    writeFileSync(join(dir, 'app', 'main.ts'), "import express from 'express';\nconst app = express();\n");
    writeFileSync(join(dir, 'build', 'server.js'), "import express from 'express';\nconst app = express();\n");
    // No tsconfig mapping: build/ is output by convention; the dev script names the source.
    expect(detectProject(dir).entry).toEqual({ path: 'app/main.ts', reason: 'scripts.dev' });
    // lib/ is output by convention only as `main`; a script running lib/server.js runs source.
    json('package.json', { type: 'module', main: 'lib/index.js', scripts: { start: 'node lib/server.js' }, dependencies: { express: '5.1.0' } });
    mkdirSync(join(dir, 'lib'));
    writeFileSync(join(dir, 'lib', 'index.js'), 'export {};\n');
    writeFileSync(join(dir, 'lib', 'server.js'), "import express from 'express';\nconst app = express();\n");
    expect(detectProject(dir).entry).toEqual({ path: 'lib/server.js', reason: 'scripts.start' });
    json('package.json', { type: 'module', scripts: { start: 'node build/server.js', dev: 'tsx watch app/main.ts' }, dependencies: { express: '5.1.0' } });
    // tsconfig without rootDir: `include` says where the sources are.
    json('tsconfig.json', { compilerOptions: { outDir: './build' }, include: ['app/**/*'] });
    writeFileSync(join(dir, 'app', 'server.ts'), "import express from 'express';\nconst app = express();\n");
    expect(detectProject(dir).entry).toEqual({ path: 'app/server.ts', reason: 'scripts.start', output: 'build/server.js' });
    // A file git ignores is generated, whatever its folder: server.js at the root, from `npm start`.
    json('package.json', { scripts: { start: 'node server.js' }, dependencies: { express: '5.1.0' } });
    writeFileSync(join(dir, 'server.js'), "const express = require('express');\nconst app = express();\n");
    writeFileSync(join(dir, '.gitignore'), 'server.js\n');
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'server.ts'), "import express from 'express';\nconst app = express();\n");
    commitAll(dir);
    expect(detectProject(dir).entry).toEqual({ path: 'src/server.ts', reason: 'common name' });
  });

  it('a folder without package.json or entry file is still described', () => {
    const dir = temp('parapet-detect-empty-');
    expect(detectProject(dir)).toEqual({ root: dir, packageJson: undefined, packageManager: 'npm', moduleSystem: 'cjs', language: 'js', framework: undefined, entry: undefined });
  });
});

describe('findApps', () => {
  const read = (path: string) => readFileSync(join(fixtures, path), 'utf8');

  it('finds the one app of each fixture', () => {
    expect(findApps(read('express4-esm/server.js'))).toEqual([{ framework: 'express', name: 'app', pattern: 'const', line: 3 }]);
    expect(findApps(read('express5-ts/src/server.ts'))).toEqual([{ framework: 'express', name: 'app', pattern: 'const', line: 3 }]);
    expect(findApps(read('express-cjs/app.js'))).toEqual([{ framework: 'express', name: 'app', pattern: 'const', line: 4 }]);
    expect(findApps(read('hono-ts/src/index.ts'))).toEqual([{ framework: 'hono', name: 'app', pattern: 'const', line: 6 }]);
  });

  it('an app inside a class is not a candidate', () => {
    expect(findApps(read('unrecognized/server.js'))).toEqual([]);
  });

  it('default exports, factories, renamed imports, wrapped apps, several apps', () => {
    expect(findApps("import { Hono as H } from 'hono';\nexport default new H();\n")).toEqual([{ framework: 'hono', name: undefined, pattern: 'default-export', line: 2 }]);
    expect(findApps("import e from 'express';\nexport function createApp() {\n  const server = e();\n  return server;\n}\n")).toEqual([
      { framework: 'express', name: 'server', pattern: 'factory', factory: 'createApp', line: 3 },
    ]);
    expect(findApps("import express from 'express';\nexport const makeApp = () => {\n  const app = express();\n  return app;\n};\n")).toMatchObject([{ pattern: 'factory', factory: 'makeApp' }]);
    expect(findApps("import express from 'express';\nimport { instrument } from '@parapet/express';\nexport const app = instrument(express());\n")).toMatchObject([{ name: 'app', pattern: 'const' }]);
    expect(findApps("import express from 'express';\nconst api = express();\nconst admin = express();\n").map((a) => a.name)).toEqual(['api', 'admin']);
    // `express` from somewhere else is not Express.
    expect(findApps("import express from './my-express.js';\nconst app = express();\n")).toEqual([]);
  });
});
