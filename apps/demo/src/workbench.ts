import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The folder of the workbench's prebuilt bundle. An installed `@parapet/ui-react` ships it in
 * `dist/app`; in this repository (sources, no build) the demo builds it once with the package's
 * own Vite config into `packages/ui-react/dist/app` (a few seconds, at the first start only;
 * silently, so the start-up output stays the same).
 * `PARAPET_WORKBENCH_DIR` points at another build.
 */
export async function workbenchBundle(dir?: string): Promise<string> {
  if (dir) return dir;
  const pkg = fileURLToPath(import.meta.resolve('@parapet/ui-react/package.json'));
  const root = dirname(pkg);
  const outDir = join(root, 'dist', 'app');
  if (existsSync(join(outDir, 'index.html')) && existsSync(join(outDir, 'assets'))) return outDir;
  const config = join(root, 'vite.config.ts');
  if (!existsSync(config)) throw new Error(`the workbench bundle is missing from ${outDir} and there is no vite.config.ts to build it (reinstall @parapet/ui-react)`);
  const { build } = (await import(pathToFileURL(createRequire(pkg).resolve('vite')).href)) as { build: (config: object) => Promise<unknown> };
  // Build beside the target and move it in: two demos starting at once never see half a bundle.
  const staging = mkdtempSync(join(root, 'dist-app-'));
  try {
    await build({ configFile: config, logLevel: 'error', build: { outDir: join(staging, 'app'), emptyOutDir: true, sourcemap: false } });
    if (!existsSync(join(outDir, 'index.html'))) {
      mkdirSync(dirname(outDir), { recursive: true });
      try {
        renameSync(join(staging, 'app'), outDir);
      } catch (error) {
        if (!existsSync(join(outDir, 'index.html'))) throw error;
      }
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return outDir;
}
