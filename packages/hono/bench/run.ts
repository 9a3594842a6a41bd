import { fileURLToPath } from 'node:url';
import { formatTable, runBench } from '@parapet/http-conformance/bench';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// pnpm --filter @parapet/hono bench   (ROUNDS / SLICE env vars change the defaults)
const rows = await runBench({
  serverScript: fileURLToPath(new URL('./server.ts', import.meta.url)),
  nodeArgs: ['--import', 'tsx', '--conditions', 'parapet-source'],
  variants: process.env.VARIANTS?.split(',') ?? ['bare', 'no-op middleware', 'parapet', 'parapet instrument()', '@hono/prometheus'],
  baseline: 'bare',
  path: '/users/42',
  rounds: Number(process.env.ROUNDS ?? 12),
  sliceSeconds: Number(process.env.SLICE ?? 3),
});

// hono's exports map hides package.json; read it next to its resolved entry.
const honoDir = dirname(createRequire(import.meta.url).resolve('hono'));
const { version } = JSON.parse(readFileSync(join(honoDir, '..', '..', 'package.json'), 'utf8')) as { version: string };
console.log(formatTable(rows, `Hono ${version} + @hono/node-server, Node ${process.version}, autocannon -c 50, GET /users/:id JSON`));
