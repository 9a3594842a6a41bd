import { existsSync } from 'node:fs';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isParapetError } from '@parapet/core/integration';
import type { ParapetConfig } from '@parapet/core/slo';
import { createJiti } from 'jiti';
import { CliError } from './errors.js';

/** Config file extensions `loadConfig` accepts, in ESM and CommonJS projects alike. */
export const CONFIG_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'] as const;

export interface LoadConfigOptions {
  /**
   * Module ids to load from other files (jiti's `alias`). The `parapet` bin sets it inside the
   * Parapet repository so `@parapet/*` imports load the workspace sources; users never need it.
   */
  readonly alias?: Readonly<Record<string, string>>;
}

const EXAMPLE =
  "  import { defineConfig } from '@parapet/core';\n" +
  "  import { webSaas } from '@parapet/starter-pack-web-saas';\n" +
  '  export default defineConfig({ providers: [webSaas()] });\n';

/**
 * Loads a config file and returns its default export (or `module.exports`). TypeScript and
 * JavaScript, ES module or CommonJS syntax, in a `"type": "module"` or a CommonJS project: the
 * file goes through jiti, which transpiles what Node cannot load itself and never depends on the
 * host project's module type. Every failure is a `CliError` (code `CONFIG_LOAD`, exit 2) that says
 * how to fix it; a ParapetError the config itself throws is passed through unchanged.
 */
export async function loadConfig(path: string, cwd: string, options: LoadConfigOptions = {}): Promise<ParapetConfig> {
  const file = resolve(cwd, path);
  if (!existsSync(file)) {
    throw new CliError(`Config file not found: ${file}\nCreate it, e.g.\n\n${EXAMPLE}\nor pass --config <path>.`, { details: { file } });
  }
  if (!(CONFIG_EXTENSIONS as readonly string[]).includes(extname(file))) {
    throw new CliError(`Config file ${file} has an unsupported extension. Name it parapet.config${CONFIG_EXTENSIONS.join(', parapet.config')} and pass that to --config.`, { details: { file } });
  }
  const jiti = createJiti(pathToFileURL(file).href, { interopDefault: true, ...(options.alias && { alias: { ...options.alias } }) });
  let loaded: unknown;
  try {
    loaded = await jiti.import(file, { default: true });
  } catch (error) {
    if (isParapetError(error)) throw error;
    throw new CliError(`Loading ${file} failed: ${headline(error)}\n${userFrames(error, cwd)}How to fix: ${fixFor(error, file)}`, { details: { file }, cause: error });
  }
  const config = loaded as Partial<ParapetConfig> | undefined;
  if (!config || typeof config !== 'object' || !Array.isArray(config.providers)) {
    throw new CliError(
      `${file} must \`export default defineConfig({ providers: [...] })\` (or \`module.exports = defineConfig(...)\`); its default export has no providers array. For example:\n\n${EXAMPLE}`,
      { details: { file } },
    );
  }
  return config as ParapetConfig;
}

function headline(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).split('\nRequire stack:')[0]!;
  return message.split('\n').filter((line) => line.trim() !== '').slice(0, 3).join('\n');
}

/** Stack frames in the user's own files (not node_modules, not Node internals), as a hint where. */
function userFrames(error: unknown, cwd: string): string {
  if (!(error instanceof Error) || !error.stack) return '';
  const frames = error.stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line) && !/node_modules|node:|\(native\)|<anonymous>\s*$/.test(line))
    .slice(0, 3)
    .map((line) => line.replace(/file:\/\//, '').replace(/(\/[^\s():]+)/, (p) => (isAbsolute(p) ? relative(cwd, p) || p : p)));
  return frames.length > 0 ? `${frames.join('\n')}\n` : '';
}

const MISSING = /Cannot find (?:module|package) ['"]([^'"]+)['"]/;

/** One sentence that says what to do about a load failure. */
function fixFor(error: unknown, file: string): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const missing = MISSING.exec(message)?.[1];
  if (missing !== undefined || code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    if (missing !== undefined && !missing.startsWith('.') && !isAbsolute(missing) && !missing.startsWith('file:')) {
      const name = missing.startsWith('@') ? missing.split('/').slice(0, 2).join('/') : missing.split('/')[0]!;
      return `install the package the config imports in this project (npm install ${name}), or correct the import if "${missing}" is misspelled.`;
    }
    return `correct the import path${missing ? ` "${missing}"` : ''}; relative imports resolve from ${file}.`;
  }
  if (code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_CYCLE_MODULE' || code === 'ERR_REQUIRE_ASYNC_MODULE') {
    return 'use `import` instead of `require()` in the config (or rename it to parapet.config.mts), and make sure Node is 22.12 or newer.';
  }
  if (error instanceof SyntaxError || /Transform failed|Unexpected token|SyntaxError|ParseError/i.test(`${(error as Error)?.name} ${message}`)) {
    return 'fix the syntax error above in the config file; use `export default defineConfig({ ... })` (ES module) or `module.exports = defineConfig({ ... })` (CommonJS).';
  }
  return 'the config threw while it ran; fix the error above (the lines above point at it) and run again.';
}
