// `npm run demo` starts this. It prints commands that run as printed with only Node and npm
// (plus curl), and stops cleanly on Ctrl-C (SIGINT) or SIGTERM: the server closes, one line, exit 0.
import type { AddressInfo } from 'node:net';
import { createDemoApp } from './app.js';

/** The token /metrics requires. Set PARAPET_METRICS_TOKENS to choose it; the demo prints it. */
const metricsToken = process.env.PARAPET_METRICS_TOKENS?.split(',')[0]?.trim() || 'demo-metrics-token';
const demo = createDemoApp({ metricsToken });
const server = await demo.listen(Number(process.env.PORT ?? 3000));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

console.log(`Parapet demo on ${url} (Ctrl-C stops it)
  try:     curl ${url}/orgs/acme/users/42   and   curl ${url}/wp-admin/setup.php
  metrics: curl -s -H "Authorization: Bearer ${metricsToken}" ${url}/metrics | grep ^parapet_
  SLOs:    npm run parapet -- gen prometheus --config apps/demo/parapet.config.ts`);

let stopping = false;
function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  demo.close().then(
    () => {
      console.log(`Parapet demo stopped (${signal}).`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(`Parapet demo: stopping failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
