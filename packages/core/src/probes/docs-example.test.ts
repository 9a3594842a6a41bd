import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { ParapetHandle } from '../attach.js';
import type { ProbeRunResult } from './run.js';
import type { ProbeScheduler } from './scheduler.js';

const docPath = fileURLToPath(new URL('../../../../docs/probes.md', import.meta.url));
const coreEntry = fileURLToPath(new URL('../index.ts', import.meta.url));
const tmpDir = fileURLToPath(new URL('./.parapet-tmp/', import.meta.url));

/** The first ```ts block of the guide, importing this package's source instead of the published name. */
async function exampleSource(): Promise<string> {
  const markdown = await readFile(docPath, 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(markdown)?.[1];
  if (!block) throw new Error('docs/probes.md has no ```ts example');
  return block.replace(/from '@parapet\/core'/g, `from ${JSON.stringify(coreEntry)}`);
}

describe('docs/probes.md example', () => {
  let server: Server | undefined;
  afterAll(async () => {
    await rm(tmpDir, { recursive: true, force: true });
    await new Promise((r) => server?.close(r));
  });

  it('runs as written: a failing health check is recorded with its reason, the scheduler stops cleanly', async () => {
    server = createServer((req, res) => {
      res.statusCode = req.url === '/healthz' ? 503 : 404;
      res.end();
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    process.env.CHECKOUT_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    await mkdir(tmpDir, { recursive: true });
    const file = `${tmpDir}probes-example.ts`;
    await writeFile(file, await exampleSource());
    const example = (await import(/* @vite-ignore */ file)) as {
      registry: Registry; parapet: ParapetHandle; firstRun: ProbeRunResult; scheduler: ProbeScheduler;
    };
    try {
      expect(example.firstRun).toMatchObject({ probe: 'checkout_api', outcome: 'failure', reason: 'healthz answered 503' });
      const text = await example.registry.metrics();
      expect(text).toMatch(/parapet_probe_runs_total\{probe="checkout_api",outcome="failure"\} [12]\n/);
    } finally {
      await example.scheduler.close();
      await example.parapet.close();
    }
  });
});
