import { fileURLToPath } from 'node:url';
import { formatTable, runBench } from '@parapet/http-conformance/bench';

// pnpm --filter @parapet/express bench   (ROUNDS / SLICE env vars change the defaults)
const rows = await runBench({
  serverScript: fileURLToPath(new URL('./server.ts', import.meta.url)),
  nodeArgs: ['--import', 'tsx', '--conditions', 'parapet-source'],
  variants: process.env.VARIANTS?.split(',') ?? ['bare', 'no-op middleware', 'parapet', 'parapet instrument()', 'express-prom-bundle'],
  baseline: 'bare',
  path: '/users/42',
  rounds: Number(process.env.ROUNDS ?? 12),
  sliceSeconds: Number(process.env.SLICE ?? 3),
});
console.log(formatTable(rows, `Express ${(await import('express/package.json', { with: { type: 'json' } })).default.version}, Node ${process.version}, autocannon -c 50, GET /users/:id JSON`));
