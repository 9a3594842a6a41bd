import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

let built: Promise<string> | undefined;

/**
 * Builds the static bundle from the current sources (Vite, ~2 s) into a temporary folder, once per
 * test process, so browser tests never run a stale dist/ and `npm test` needs no build first.
 */
export function freshBundle(): Promise<string> {
  built ??= (async () => {
    const { build } = await import('vite');
    const outDir = join(mkdtempSync(join(tmpdir(), 'parapet-ui-')), 'app');
    await build({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
    return outDir;
  })();
  return built;
}
