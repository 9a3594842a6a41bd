// `npm run demo` starts this. It prints where to look and the tokens it generated, with commands
// that run as printed with only Node and npm (plus curl), and stops cleanly on Ctrl-C (SIGINT) or
// SIGTERM: the server closes, one line, exit 0. Settings: README.md.
import type { AddressInfo } from 'node:net';
import { createDemoApp } from './app.js';
import { readSettings } from './settings.js';

let parsed: ReturnType<typeof readSettings>;
try {
  parsed = readSettings(process.argv.slice(2), process.env);
} catch (error) {
  console.error(`Parapet demo: ${error instanceof Error ? error.message : String(error)} (see apps/demo/README.md).`);
  process.exit(2);
}
const { settings, port, generated } = parsed;
const notes: string[] = [];
const demo = await createDemoApp({ ...settings, log: (line) => notes.push(line) });
const server = await demo.listen(port);
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const operator = settings.operators[0]!;

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
// Before the banner: whoever reads it may signal at once.
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const evidence = demo.evidence.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : settings.dataDir ? `embedded PGlite in ${settings.dataDir}` : 'embedded PGlite, in memory (set DATABASE_URL or PARAPET_DATA_DIR to keep it)';
const generatedLines = Object.entries(generated).map(([setting, value]) => `    ${setting}=${value}`);
console.log(`Parapet demo on ${url} (Ctrl-C stops it)
  home page ${url}/ has the failure switch of the login journey (or start with --fail)
  evidence on ${evidence}; jobs on ${demo.jobs.kind === 'bullmq' ? 'BullMQ (REDIS_URL)' : 'the in-process queue'}
${settings.publicUrl ? `  public URL ${settings.publicUrl} (PARAPET_PUBLIC_URL): Alertmanager posts to ${settings.publicUrl}/parapet/alertmanager\n` : ''}${notes.map((n) => `  ${n}\n`).join('')}  built-in traffic ${settings.trafficRate} logins/s; login failures ${demo.failures.on ? `ON (${demo.failures.ratio * 100}%)` : 'off'}
  workbench ${url}/parapet/ (sign in with the operator token below); MCP endpoint ${url}/parapet/mcp (the same token as Bearer)
  operator ${operator.actor} acts with Authorization: Bearer ${operator.token}
${generatedLines.length ? `  generated tokens (set these variables to choose your own):\n${generatedLines.join('\n')}\n` : ''}  try:     curl ${url}/orgs/acme/users/42   and   curl -s -H "Authorization: Bearer ${operator.token}" ${url}/parapet/api/incidents
  metrics: curl -s -H "Authorization: Bearer ${settings.metricsTokens[0]}" ${url}/metrics | grep ^parapet_
  SLOs:    npm run parapet -- gen prometheus --config apps/demo/parapet.config.ts`);
