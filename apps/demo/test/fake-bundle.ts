import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A stand-in for the workbench's built bundle (`PARAPET_WORKBENCH_DIR` / `workbenchDir`), so the
 * fast tests never run a Vite build: the handler still writes its `<base href>` and config block.
 * The real bundle is served by the end-to-end test and `npm run demo`.
 */
export function fakeWorkbenchBundle(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parapet-demo-workbench-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><meta charset="utf-8" /><title>Parapet incidents</title><script type="module" src="./assets/app-1.js"></script></head><body><div id="root"></div></body></html>');
  writeFileSync(join(dir, 'assets', 'app-1.js'), 'export {};');
  return dir;
}
