/** Runs one doctor check on a copy of a fixture project (test/fixtures/doctor/<id>/<variant>). */
import { cpSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceSources } from '../bin/workspace-sources.mjs';
import { doctorContext } from '../src/doctor/context.js';
import { CHECKS } from '../src/doctor/registry.js';
import { runChecks } from '../src/doctor/run.js';
import type { DoctorOptions, Finding } from '../src/doctor/types.js';
import { loadConfig } from '../src/load-config.js';
import { packageDir, repoRoot, scratch } from '../src/test-support.js';

export const fixtures = join(packageDir, 'test', 'fixtures', 'doctor');
/** The bin's aliases: configs load `@parapet/*` from the workspace sources. */
export const workspaceAlias = workspaceSources(repoRoot);

/** A scratch copy of a fixture (inside this package, so `@parapet/*` imports resolve), `_node_modules` renamed. */
export function copyFixture(id: string, variant: string): string {
  const dir = scratch();
  const source = join(fixtures, id, variant);
  if (existsSync(source)) cpSync(source, dir, { recursive: true });
  if (existsSync(join(dir, '_node_modules'))) renameSync(join(dir, '_node_modules'), join(dir, 'node_modules'));
  return dir;
}

/** A scratch copy of a fixture with its src/server.ts changed by `edit` (a variant of the variant). */
export function fixtureWith(id: string, variant: string, edit: (code: string) => string): string {
  const dir = copyFixture(id, variant);
  const server = join(dir, 'src', 'server.ts');
  writeFileSync(server, edit(readFileSync(server, 'utf8')));
  return dir;
}

/** The finding of check `id` for the project in `dir`. */
export async function checkIn(id: string, dir: string, { env = {}, options = {} }: { env?: NodeJS.ProcessEnv; options?: Partial<DoctorOptions> } = {}): Promise<Finding> {
  const check = CHECKS.find((c) => c.id === id);
  if (!check) throw new Error(`no check ${id}`);
  const io = { cwd: dir, stdout: () => {}, stderr: () => {} };
  const context = doctorContext({ config: 'parapet.config.ts', rules: 'parapet/prometheus', ...options }, io, env, (path) => loadConfig(path, dir, { alias: workspaceAlias }));
  const [finding] = await runChecks([check], context);
  return finding!;
}

/** The finding of check `id` on fixture `<id>/<variant>`. */
export const checkFixture = (id: string, variant: 'trigger' | 'pass' | 'unwired', extra?: Parameters<typeof checkIn>[2]) => checkIn(id, copyFixture(id, variant), extra);
