import { execFileSync } from 'node:child_process';
import net from 'node:net';

/**
 * Real services a test may need. Without CI=true a missing service skips the suite and says so
 * loudly; with CI=true the suite fails, because `.ci/run` is expected to have started it.
 */
export type ServiceName = 'postgres' | 'pgbouncer' | 'redis' | 'promtool' | 'amtool' | 'prometheus' | 'alertmanager';

const inCI = () => process.env.CI === 'true' || process.env.CI === '1';

function tcpOpen(url: string, defaultPort: number): Promise<boolean> {
  const parsed = new URL(url);
  const port = Number(parsed.port || defaultPort);
  return new Promise((resolve) => {
    const socket = net.connect({ host: parsed.hostname, port });
    socket.setTimeout(1000);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
    socket.once('error', () => resolve(false));
  });
}

function onPath(binary: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** PgBouncer in transaction pooling mode in front of `databaseUrl`'s server (tooling/services.sh). */
export const pgbouncerUrl = process.env.PGBOUNCER_URL ?? 'postgres://postgres@127.0.0.1:6432/test';

async function available(service: ServiceName): Promise<boolean> {
  switch (service) {
    case 'redis': return tcpOpen(redisUrl, 6379);
    case 'postgres': return tcpOpen(databaseUrl, 5432);
    case 'pgbouncer': return tcpOpen(pgbouncerUrl, 6432);
    case 'promtool': return onPath('promtool');
    case 'amtool': return onPath('amtool');
    case 'prometheus': return onPath('prometheus');
    case 'alertmanager': return onPath('prometheus-alertmanager') || onPath('alertmanager');
  }
}

/**
 * Resolves to true when every service is reachable. Use as `describe.skipIf(!(await needs(...)))`.
 * In CI a missing service throws, so the run fails instead of silently skipping.
 */
export async function needs(...services: ServiceName[]): Promise<boolean> {
  return report(await missingOf(services));
}

async function missingOf(services: ServiceName[]): Promise<ServiceName[]> {
  const missing: ServiceName[] = [];
  for (const s of services) if (!(await available(s))) missing.push(s);
  return missing;
}

/** Decide what a missing service means here: skip loudly, or (CI=true) fail. */
export function report(missing: readonly string[]): boolean {
  if (missing.length === 0) return true;
  const message = `missing service(s): ${missing.join(', ')}. Run \`npm run services\` (tooling/services.sh) to install and start them.`;
  if (inCI()) throw new Error(`[parapet] CI=true and ${message}`);
  console.warn(`\n\u001b[33m[parapet] SKIPPING tests: ${message}\u001b[0m\n`);
  return false;
}
