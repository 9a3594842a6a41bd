// `npm run parapet:gen | head -3`: the reader exits early, so the CLI's next write to stdout fails
// with EPIPE. The bin must stop quietly there (like `cat` or `git log` do), not print a stack trace.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, removeScratch, scratch, write } from '../src/test-support.js';

afterAll(removeScratch);

/**
 * Runs the bin with its stdout piped to this process, whose read end is closed at once (in the
 * same tick as the spawn, long before node has started the CLI): the reader that exits early.
 * Every write the CLI makes then gets EPIPE.
 */
async function intoClosedPipe(args: string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
  child.stdout!.destroy();
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stderr };
}

describe('the bin writing into a pipe the reader closed', () => {
  it('help: exits 0 without a word on stderr', async () => {
    expect(await intoClosedPipe(['help'], scratch())).toEqual({ code: 0, stderr: '' });
  });

  it('gen prometheus (what parapet:gen runs first): the files are written, the summary dropped quietly', async () => {
    const dir = scratch();
    write(dir, 'parapet.config.ts', "import { defineConfig } from '@parapet/core';\nimport { webSaas } from '@parapet/starter-pack-web-saas';\nexport default defineConfig({ providers: [webSaas()] });\n");
    expect(await intoClosedPipe(['gen', 'prometheus', '--out', join(dir, 'out')], dir)).toEqual({ code: 0, stderr: '' });
    expect(existsSync(join(dir, 'out', 'rules.yml'))).toBe(true);
  });
});
