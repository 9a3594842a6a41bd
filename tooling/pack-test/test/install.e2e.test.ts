// The packages as a new user gets them: `npm run pack` writes the tarballs to ./packs/, plain npm
// installs them (third-party dependencies from the registry) into fresh projects outside the
// repository, and the getting-started example, the exports of every package and the CLI run
// there; `tsc --strict` type-checks both projects against the shipped declarations.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const exec = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const packs = join(root, 'packs');

interface Packed { file: string; name: string; exports: string[] }

let work: string;
let packed: Packed[];
let catalog: Record<string, string>;

async function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  try {
    // pnpm exports its own settings as npm_config_* variables; plain npm warns about them.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_verify_deps_before_run$/i.test(k)));
    return await exec(cmd, args, { cwd, env: { ...inherited, ...env }, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** `npm run pack` without the install step: the pinned pnpm, build, then one tarball per package. */
async function pack() {
  // @ts-expect-error plain .mjs helpers without declarations
  const { pnpmEnv } = (await import('../../scripts/run.mjs')) as { pnpmEnv: () => NodeJS.ProcessEnv };
  await sh(process.execPath, [join(root, 'tooling', 'scripts', 'pack.mjs')], root, pnpmEnv());
}

async function readPacked(): Promise<Packed[]> {
  const files = (await readdir(packs)).filter((f) => f.endsWith('.tgz')).sort();
  const out: Packed[] = [];
  for (const file of files) {
    const { stdout } = await sh('tar', ['-xzOf', join(packs, file), 'package/package.json'], packs);
    const manifest = JSON.parse(stdout) as { name: string; exports: Record<string, unknown> };
    out.push({ file: join(packs, file), name: manifest.name, exports: Object.keys(manifest.exports).filter((k) => k !== './package.json') });
  }
  return out;
}

/** The guide's first ts block, as written. */
async function gettingStartedExample() {
  const text = await readFile(join(root, 'docs', 'getting-started.md'), 'utf8');
  const block = /^```ts\n([\s\S]*?)^```$/m.exec(text);
  if (!block) throw new Error('docs/getting-started.md has no ts example');
  return block[1]!;
}

async function newProject(name: string, manifest: Record<string, unknown>) {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, ...manifest }, null, 2));
  return dir;
}

async function npmInstall(dir: string, specs: string[]) {
  await sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], dir);
}

beforeAll(async () => {
  await pack();
  packed = await readPacked();
  catalog = (parse(await readFile(join(root, 'pnpm-workspace.yaml'), 'utf8')) as { catalog: Record<string, string> }).catalog;
  work = await mkdtemp(join(tmpdir(), 'parapet-pack-test-'));
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('packed tarballs', () => {
  it('hold only shipped files and real version ranges', async () => {
    expect(packed.map((p) => p.name)).toEqual(expect.arrayContaining(['@parapet/core', '@parapet/cli', '@parapet/express', '@parapet/hono']));
    for (const p of packed) {
      const { stdout } = await sh('tar', ['-xzOf', p.file, 'package/package.json'], packs);
      expect(stdout, p.name).not.toContain('workspace:');
      expect(stdout, p.name).not.toContain('catalog:');
      const manifest = JSON.parse(stdout) as { exports: unknown; dependencies?: Record<string, string> };
      expect(JSON.stringify(manifest.exports), p.name).not.toContain('parapet-source');
      expect(JSON.stringify(manifest.exports), p.name).not.toContain('/src/');
      const { stdout: list } = await sh('tar', ['-tzf', p.file], packs);
      expect(list, p.name).not.toMatch(/^package\/src\//m);
      expect(list, p.name).toMatch(/^package\/dist\/index\.js$/m);
    }
  });
});

describe('an ESM TypeScript project', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await newProject('esm-ts', { type: 'module' });
    await npmInstall(dir, [...packed.map((p) => p.file), `prom-client@${catalog['prom-client']}`, `typescript@${catalog.typescript}`, `@types/node@${catalog['@types/node']}`]);
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2023', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: ['node'], lib: ['ES2023', 'DOM'], outDir: 'dist', skipLibCheck: true, resolveJsonModule: true },
        include: ['*.ts'],
      }),
    );
    await writeFile(join(dir, 'getting-started.ts'), await gettingStartedExample());
    // Every entry of every package, through `import`.
    // A JSON entry (evidence-pg's openapi.json) needs ESM's import attribute.
    const lines = packed.flatMap((p) =>
      p.exports.map((sub, i) => {
        const id = `m_${p.name.replace(/\W/g, '_')}_${i}`;
        const attributes = sub.endsWith('.json') ? " with { type: 'json' }" : '';
        return `import * as ${id} from '${p.name}${sub.slice(1)}'${attributes};\nif (Object.keys(${id}).length === 0) throw new Error('${p.name}${sub.slice(1)} exports nothing');`;
      }),
    );
    await writeFile(join(dir, 'entries.ts'), `${lines.join('\n')}\nexport {};\n`);
    await writeFile(
      join(dir, 'parapet.config.ts'),
      "import { defineConfig } from '@parapet/core';\nimport { webSaas } from '@parapet/starter-pack-web-saas';\n\nexport default defineConfig({ providers: [webSaas()] });\n",
    );
  });

  it('type-checks with tsc --strict', async () => {
    await sh('npx', ['tsc', '-p', 'tsconfig.json', '--strict'], dir);
  });

  it('runs the getting-started example', async () => {
    await sh('node', ['dist/getting-started.js'], dir);
  });

  it('imports every entry of every package', async () => {
    await sh('node', ['dist/entries.js'], dir);
  });

  it('runs the CLI', async () => {
    const help = await sh('npx', ['parapet', '--help'], dir);
    expect(help.stdout + help.stderr).toContain('parapet gen');
    await sh('npx', ['parapet', 'gen', 'prometheus', '--config', 'parapet.config.ts', '--out', 'ops'], dir);
    expect(existsSync(join(dir, 'ops', 'rules.yml'))).toBe(true);
  });
});

describe('a CommonJS JavaScript project', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await newProject('cjs-js', { type: 'commonjs' });
    await npmInstall(dir, [...packed.map((p) => p.file), `prom-client@${catalog['prom-client']}`, `typescript@${catalog.typescript}`, `@types/node@${catalog['@types/node']}`]);
    await writeFile(
      join(dir, 'index.js'),
      `// @ts-check
'use strict';
const { createServer } = require('node:http');
const { attach, createMetricsHandler, publishHttpServerRequest } = require('@parapet/core');
const client = require('prom-client');

async function main() {
  const registry = new client.Registry();
  const parapet = attach({ registry });
  const metrics = createMetricsHandler({ registry, tokens: ['scrape-secret'] });
  const server = createServer(async (req, res) => {
    if (req.url === '/metrics') {
      const headers = /** @type {Record<string, string>} */ (req.headers);
      const response = await metrics(new Request('http://localhost' + req.url, { headers }));
      res.writeHead(response.status, Object.fromEntries(response.headers));
      return res.end(await response.text());
    }
    publishHttpServerRequest({ method: req.method ?? 'GET', route: undefined, statusCode: 404, durationSeconds: 0.001 });
    res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  await fetch('http://127.0.0.1:' + port + '/wp-admin/setup.php');
  const scrape = await fetch('http://127.0.0.1:' + port + '/metrics', { headers: { authorization: 'Bearer scrape-secret' } });
  const body = await scrape.text();
  if (!body.includes('route="_unmatched"') || body.includes('wp-admin')) throw new Error(body);
  server.close();
  await parapet.detach();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
`,
    );
    const requires = packed.flatMap((p) => p.exports.map((sub) => `if (Object.keys(require('${p.name}${sub.slice(1)}')).length === 0) throw new Error('${p.name}${sub.slice(1)} exports nothing');`));
    await writeFile(join(dir, 'entries.js'), `'use strict';\n${requires.join('\n')}\n`);
  });

  it('type-checks with tsc --strict --checkJs', async () => {
    await sh('npx', ['tsc', '--strict', '--allowJs', '--checkJs', '--noEmit', '--skipLibCheck', '--module', 'nodenext', '--target', 'es2023', '--types', 'node', 'index.js'], dir);
  });

  it('runs the getting-started example through require()', async () => {
    await sh('node', ['index.js'], dir);
  });

  it('requires every entry of every package', async () => {
    await sh('node', ['entries.js'], dir);
  });

  it('runs the CLI', async () => {
    const help = await sh('npx', ['parapet', '--help'], dir);
    expect(help.stdout + help.stderr).toContain('parapet gen');
  });
});
