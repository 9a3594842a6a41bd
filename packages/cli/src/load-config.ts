import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ParapetConfig } from '@parapet/core';

/** A failure the user can fix; `exitCode` 2 means usage/config problems, 1 invalid specs. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

/** Imports the config file (TypeScript works through tsx, registered by the bin). */
export async function loadConfig(path: string, cwd: string): Promise<ParapetConfig> {
  const file = resolve(cwd, path);
  if (!existsSync(file)) {
    throw new CliError(
      `Config file not found: ${file}\n` +
        'Create it, e.g.\n\n' +
        "  import { defineConfig } from '@parapet/core';\n" +
        "  import { webSaas } from '@parapet/starter-pack-web-saas';\n" +
        '  export default defineConfig({ providers: [webSaas()] });\n\n' +
        'or pass --config <path>.',
      2,
    );
  }
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    throw new CliError(`Loading ${file} failed; fix the error below and run again.\n\n${detail}`, 2);
  }
  const config = (mod.default ?? mod) as Partial<ParapetConfig>;
  if (!config || !Array.isArray(config.providers)) {
    throw new CliError(`${file} must \`export default defineConfig({ providers: [...] })\`; its default export has no providers array.`, 2);
  }
  return config as ParapetConfig;
}
