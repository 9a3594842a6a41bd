/**
 * Every shell command a reader is shown must run as printed on a machine with only Node and npm
 * (plus the tools the docs name as prerequisites: curl, promtool, amtool). pnpm, yarn and bun
 * are allowed only in contributor-only text (docs/contributing.md, or under a heading that says
 * "contributing"). Scripts, files, packages and binaries the commands name must exist, and every
 * `parapet` command is parsed by the real CLI; commands in ```sh blocks and the demo's startup
 * output also run for real (parapet through its bin, the demo's curl requests with fetch).
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from '@parapet/cli';
import { afterAll, describe, expect, it } from 'vitest';
import { docCommands, simpleCommands, type DocCommand } from './commands.js';
import { repoRoot } from './extract.js';

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;
const rootScripts = readJson(join(repoRoot, 'package.json')).scripts as Record<string, string>;

/** Workspace manifests, and every package name they publish or depend on (names that exist). */
const manifests = ['packages', 'integrations', 'starter-packs', 'apps', 'tooling'].flatMap((group) =>
  existsSync(join(repoRoot, group)) ? readdirSync(join(repoRoot, group)).map((name) => join(repoRoot, group, name, 'package.json')).filter(existsSync).map(readJson) : [],
);
const publishable = new Set(manifests.filter((m) => !m.private).map((m) => m.name as string));
const knownDependencies = new Set(manifests.flatMap((m) => ['dependencies', 'devDependencies', 'peerDependencies'].flatMap((k) => Object.keys(m[k] ?? {}))));
const workspaceBins = new Map(manifests.filter((m) => !m.private).flatMap((m) => Object.keys(typeof m.bin === 'object' ? m.bin : {}).map((bin) => [bin, m.name as string] as const)));

/** Prerequisites the docs name besides Node and npm, and plain shell built-ins. */
const EXTERNAL = new Set(['curl', 'promtool', 'amtool', 'grep', 'cd', 'mkdir', 'cat', 'echo', 'export', 'ls']);
const NPM_COMMANDS = new Set(['init', 'pkg', 'pack', 'view', 'ls', 'exec']);

const contributorOnly = (c: DocCommand) => c.source === 'docs/contributing.md' || /contribut/i.test(c.heading);

interface Parapet { readonly args: string[]; readonly command: DocCommand }

/** Problems with one simple command; collects the parapet invocations it contains. */
function check(words: string[], command: DocCommand, parapets: Parapet[]): string[] {
  // A leading `NAME=value` is a shell variable assignment (the command, if any, follows it).
  const assignments = words.findIndex((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
  if (assignments === -1) return [];
  const [tool, ...rest] = words.slice(assignments);
  const where = `${command.source}:${command.line} \`${command.text}\``;
  switch (tool) {
    case 'pnpm':
    case 'yarn':
    case 'bun':
      return contributorOnly(command) ? [] : [`${where}: ${tool} is not on a user's machine; use npm/npx, or move it to a section marked as contributing.`];
    case 'parapet':
      return [`${where}: \`parapet\` is not on PATH; write \`npx parapet …\` (installed @parapet/cli) or \`npm run parapet -- …\` (this repository).`];
    case 'node':
      return rest[0] && !rest[0].startsWith('-') && !existsSync(join(repoRoot, rest[0])) ? [`${where}: ${rest[0]} does not exist.`] : [];
    case '.ci/run':
      return existsSync(join(repoRoot, '.ci/run')) || contributorOnly(command) ? [] : [`${where}: .ci/run does not exist.`];
    case 'npx': {
      const args = rest.filter((w, i) => !(w === '-y' || w === '--yes' || w === '-p' || rest[i - 1] === '-p' || w.startsWith('--package')));
      // `npx @parapet/cli install` names the package; npx runs its one binary.
      const spec = args[0] ?? '';
      const named = spec.startsWith('@') ? [...workspaceBins].find(([, pkg]) => pkg === spec.replace(/(?<=.)@[^/]*$/, ''))?.[0] : undefined;
      const bin = named ?? spec.split('@')[0] ?? '';
      if (bin === 'pnpm') return check(['pnpm', ...args.slice(1)], command, parapets);
      if (!workspaceBins.has(bin)) return [`${where}: npx ${bin}: no Parapet package provides a \`${bin}\` binary.`];
      if (bin === 'parapet') parapets.push({ args: args.slice(1), command });
      return [];
    }
    case 'npm': {
      let args = rest;
      let scripts = rootScripts;
      let folder = '.';
      if (args[0] === '--prefix') {
        folder = args[1] ?? '';
        scripts = existsSync(join(repoRoot, folder, 'package.json')) ? (readJson(join(repoRoot, folder, 'package.json')).scripts ?? {}) : {};
        args = args.slice(2);
      }
      const [sub, ...more] = args;
      if (sub === 'test' || sub === 't') return scripts.test ? [] : [`${where}: ${folder}/package.json has no test script.`];
      if (sub === 'run' || sub === 'run-script') {
        const script = more[0] ?? '';
        if (!(script in scripts)) return [`${where}: ${folder}/package.json has no "${script}" script.`];
        if (script === 'parapet') {
          const dashes = more.indexOf('--');
          parapets.push({ args: dashes === -1 ? more.slice(1) : more.slice(dashes + 1), command });
        }
        return [];
      }
      if (sub === 'install' || sub === 'i' || sub === 'add') {
        return more
          .filter((w) => !w.startsWith('-'))
          // A packed tarball (`npm run pack` writes packs/*.tgz) is installed by path.
          .filter((w) => !w.endsWith('.tgz'))
          .map((spec) => spec.replace(/(?<=.)@[^/]*$/, ''))
          .filter((name) => !(name.startsWith('@parapet/') ? publishable.has(name) : knownDependencies.has(name)))
          .map((name) => `${where}: npm install ${name}: ${name.startsWith('@parapet/') ? 'no such publishable Parapet package' : 'not a package Parapet is built or tested with'}.`);
      }
      return NPM_COMMANDS.has(sub ?? '') ? [] : [`${where}: npm ${sub} is not an npm command the docs should use.`];
    }
    default:
      return EXTERNAL.has(tool ?? '') ? [] : [`${where}: \`${tool}\` is neither node/npm nor a documented prerequisite (${[...EXTERNAL].join(', ')}).`];
  }
}

function checkAll(commands: readonly DocCommand[]): { problems: string[]; parapets: Parapet[] } {
  const parapets: Parapet[] = [];
  const problems = commands.flatMap((command) => simpleCommands(command.text).flatMap((words) => check(words, command, parapets)));
  return { problems, parapets };
}

const scratchDirs: string[] = [];
afterAll(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

const bin = join(repoRoot, 'packages', 'cli', 'bin', 'parapet.mjs');

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, NODE_OPTIONS: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const defaultConfig = `import { defineConfig } from '@parapet/core';
import { webSaas } from '@parapet/starter-pack-web-saas';
export default defineConfig({ providers: [webSaas()], alertmanager: { webhookUrl: 'https://app.example.com/parapet/alertmanager', bearerTokenFile: '/etc/alertmanager/secrets/parapet-webhook-token' } });
`;

/**
 * `parapet install` runs in a copy of the CLI's Express fixture app whose package.json already
 * lists every package install adds (with any flag), so it edits and writes for real but no
 * package manager runs (the CLI's install.e2e test installs the packed packages with npm).
 */
function installFixture(dir: string): string {
  cpSync(join(repoRoot, 'packages', 'cli', 'test', 'fixtures', 'apps', 'express4-esm'), dir, { recursive: true });
  const manifest = readJson(join(dir, 'package.json'));
  const added = ['@parapet/core', '@parapet/express', 'prom-client', '@parapet/evidence-pg', 'kysely', '@electric-sql/pglite', '@parapet/ui-react', '@parapet/cli', '@parapet/starter-pack-web-saas'];
  manifest.dependencies = { ...manifest.dependencies, ...Object.fromEntries(added.map((name) => [name, '*'])) };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  return dir;
}

/**
 * Runs a parapet command from a ```sh block in a fresh folder: a config path that exists in the
 * repository is re-exported from there, any other one gets a starter-pack config.
 */
async function runParapet(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'parapet-doc-command-'));
  scratchDirs.push(dir);
  const parsed = parseArgs(args);
  if (parsed.kind === 'install') {
    // `--from "$PACKS"`: the packs/ folder `npm run pack` wrote, set in an earlier block. install
    // checks that it exists before anything else; the fixture already lists every package, so an
    // empty folder stands in for it (nothing is installed from it).
    const packs = mkdtempSync(join(tmpdir(), 'parapet-doc-packs-'));
    scratchDirs.push(packs);
    const real = args.map((arg) => (arg === parsed.from && arg.startsWith('$') ? packs : arg));
    return run(process.execPath, [bin, ...real], installFixture(dir));
  }
  const config = 'config' in parsed ? parsed.config : 'parapet.config.ts';
  const file = join(dir, config);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, existsSync(join(repoRoot, config)) ? `export { default } from ${JSON.stringify(join(repoRoot, config))};\n` : defaultConfig);
  return run(process.execPath, [bin, ...args], dir);
}

describe('commands in the docs', () => {
  const commands = docCommands(repoRoot);
  const { problems, parapets } = checkAll(commands);

  it('are found in every user-facing doc', () => {
    for (const doc of ['README.md', 'docs/getting-started.md', 'packages/cli/README.md', 'apps/demo/README.md']) {
      expect(commands.some((c) => c.source === doc), doc).toBe(true);
    }
    expect(parapets.length).toBeGreaterThan(5);
  });

  it('name only node, npm, npx and documented prerequisites, and scripts, files and packages that exist', () => {
    expect(problems).toEqual([]);
  });

  it('say where `npx parapet` comes from', () => {
    for (const doc of new Set(parapets.filter((p) => p.command.text.startsWith('npx ')).map((p) => p.command.source))) {
      expect(readFileSync(join(repoRoot, doc), 'utf8'), `${doc} uses npx parapet without naming @parapet/cli`).toContain('@parapet/cli');
    }
  });

  it('give parapet arguments the CLI accepts', () => {
    for (const { args, command } of parapets) expect(() => parseArgs(args), `${command.source}:${command.line} ${command.text}`).not.toThrow();
  });

  it('run for real: every parapet command in a shell block', async () => {
    const runnable = new Map(parapets.filter((p) => !p.command.sample).map((p) => [p.args.join(' '), p]));
    expect(runnable.size).toBeGreaterThan(3);
    for (const { args, command } of runnable.values()) {
      const result = await runParapet(args);
      expect({ where: `${command.source}:${command.line}`, code: result.code, stderr: result.stderr }).toEqual({ where: `${command.source}:${command.line}`, code: 0, stderr: '' });
    }
  }, 300_000);

  it('write `npm run parapet` output (this repository) only to git-ignored folders', async () => {
    const inRepo = parapets.filter((p) => p.command.text.startsWith('npm run parapet'));
    expect(inRepo.length).toBeGreaterThan(0);
    for (const { args, command } of inRepo) {
      const parsed = parseArgs(args);
      if (parsed.kind !== 'gen') continue;
      const ignored = await run('git', ['check-ignore', '--no-index', '-q', `${parsed.out}/rules.yml`], repoRoot);
      expect({ where: `${command.source}:${command.line}`, out: parsed.out, ignored: ignored.code === 0 }).toEqual({ where: `${command.source}:${command.line}`, out: parsed.out, ignored: true });
    }
  });

  it('the checker rejects what users cannot run', () => {
    const at = (text: string, heading = 'Usage'): DocCommand => ({ source: 'docs/x.md', line: 1, heading, text, sample: false });
    const bad = ['pnpm parapet cost', 'parapet gen prometheus', 'npm run nope', 'npm install @parapet/nope', 'yarn add x', 'npx tsc', 'make demo'];
    for (const text of bad) expect(checkAll([at(text)]).problems, text).toHaveLength(1);
    expect(checkAll([at('pnpm exec vitest run', 'Contributing')]).problems).toEqual([]);
    expect(checkAll([at('npx parapet cost && promtool check rules x.yml | grep SUCCESS')]).problems).toEqual([]);
    expect(checkAll([at('npx @parapet/cli install --dry-run')]).problems).toEqual([]);
    expect(checkAll([at('npx @parapet/nope install')]).problems).toHaveLength(1);
  });
});

/** Starts the demo as `npm run demo` does, on a free port, and returns what it printed. */
async function demoBanner(): Promise<{ banner: string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, ['--conditions=parapet-source', '--import', 'tsx', 'src/main.ts'], {
    cwd: join(repoRoot, 'apps', 'demo'),
    env: { ...process.env, PORT: '0', NODE_OPTIONS: '' },
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => /SLOs: .*\n/.test(out) && resolve());
    void exited.then((code) => reject(new Error(`the demo exited (${code}):\n${out}`)));
  });
  return { banner: out, stop: () => (child.kill('SIGTERM'), exited) };
}

/** A printed curl command as a fetch: its URL and -H headers. */
async function asFetch(words: string[]): Promise<Response> {
  const headers = new Headers();
  words.forEach((w, i) => {
    if (w === '-H') {
      const [name, ...value] = words[i + 1]!.split(':');
      headers.set(name!.trim(), value.join(':').trim());
    }
  });
  return fetch(words.find((w) => /^https?:/.test(w))!, { headers });
}

describe("commands in the demo's startup output", () => {
  it('pass the same checks and run as printed', async () => {
    const demo = await demoBanner();
    try {
      const lines = demo.banner.split('\n').filter((l) => /^\s+\w+:\s/.test(l));
      const commands: DocCommand[] = lines.flatMap((line, i) =>
        line.replace(/^\s+\w+:\s+/, '').split(/\s{2,}and\s{2,}/).map((text) => ({ source: 'demo startup output', line: i + 1, heading: '', text: text.trim(), sample: false })),
      );
      expect(commands.map((c) => c.text.split(' ')[0])).toEqual(['curl', 'curl', 'curl', 'npm']);
      const { problems, parapets } = checkAll(commands);
      expect(problems).toEqual([]);
      for (const command of commands) {
        const [curl] = simpleCommands(command.text);
        if (curl![0] !== 'curl') continue;
        const response = await asFetch(curl!);
        const body = await response.text();
        if (curl!.some((w) => w.endsWith('/metrics'))) {
          expect(response.status, command.text).toBe(200);
          expect(body).toMatch(/^parapet_/m);
        } else {
          expect(response.status, command.text).toBeLessThan(500);
        }
      }
      // apps/demo/README.md shows the same banner (on the default port).
      const readme = readFileSync(join(repoRoot, 'apps', 'demo', 'README.md'), 'utf8');
      // The tokens the demo generates are random: the README shows them as demo_<kind>_0123456789abcdef.
      expect(readme).toContain(demo.banner.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:3000').replace(/\bdemo_([a-z]+)_[0-9a-f]{16}\b/g, 'demo_$1_0123456789abcdef'));
      expect(parapets).toHaveLength(1);
      const result = await runParapet(parapets[0]!.args);
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
      expect(result.stdout).toContain('wrote');
    } finally {
      expect(await demo.stop()).toBe(0);
    }
  }, 120_000);
});
