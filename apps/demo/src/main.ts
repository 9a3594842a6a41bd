import { randomBytes } from 'node:crypto';
import { createDemoApp } from './app.js';

const port = Number(process.env.PORT ?? 3000);
// /metrics fails closed without a token (unless NODE_ENV is development or test): use the
// configured token, or make one for this run and print it with the curl line.
const token = process.env.PARAPET_METRICS_TOKENS?.split(',')[0]?.trim() || randomBytes(12).toString('hex');
const demo = createDemoApp({ metricsToken: token });
await demo.listen(port);
console.log(`Parapet demo on http://127.0.0.1:${port}`);
console.log(`  try:     curl http://127.0.0.1:${port}/orgs/acme/users/42   and   curl http://127.0.0.1:${port}/wp-admin/setup.php`);
console.log(`  metrics: curl -s -H "Authorization: Bearer ${token}" http://127.0.0.1:${port}/metrics | grep ^parapet_`);
console.log('  SLOs:    pnpm parapet gen prometheus --config apps/demo/parapet.config.ts --out ops/prometheus');
const stop = () => void demo.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
