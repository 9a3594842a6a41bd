import { timingSafeEqual, createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { ParapetError, toNodeHandler } from '@parapet/core/integration';
import { createEvidenceStore, type EvidenceStoreHandle } from '@parapet/evidence-pg';
import { mcpEvidenceExtension } from './audit.js';
import { createParapetMcpHandler, type McpHandler } from './handler.js';
import { prometheusSloSource } from './sources.js';
import { localPrincipal, serveMcpStdio } from './stdio.js';

/** Default port of `parapet mcp --http`. */
export const DEFAULT_MCP_PORT = 7341;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * Opens the evidence store named by `DATABASE_URL`: `postgres://…` (needs `pg`) or `pglite:<dir>`
 * for an embedded PGlite data directory. The MCP audit extension is included and migrated.
 */
export async function openStoreFromEnvironment(env: NodeJS.ProcessEnv = process.env): Promise<EvidenceStoreHandle> {
  const url = env.DATABASE_URL?.trim();
  if (!url) throw new ParapetError('USAGE', 'DATABASE_URL is not set. Set it to your evidence database, e.g. DATABASE_URL=postgres://user@127.0.0.1:5432/app (or pglite:./parapet-data for an embedded store).');
  const extensions = [mcpEvidenceExtension()];
  if (url.startsWith('pglite:')) return createEvidenceStore({ dataDir: url.slice('pglite:'.length) || '.', extensions });
  if (!/^postgres(ql)?:\/\//.test(url)) throw new ParapetError('USAGE', `DATABASE_URL must start with postgres://, postgresql:// or pglite:; got ${JSON.stringify(url.replace(/\/\/[^@/]*@/, '//…@'))}.`);
  let pg: { Pool: new (config: { connectionString: string; max?: number; application_name?: string }) => { end(): Promise<void>; on(e: 'error', f: () => void): void; connect(): Promise<unknown> } };
  try {
    pg = ((await import('pg')) as { default?: typeof pg } & typeof pg).default ?? ((await import('pg')) as typeof pg);
  } catch (cause) {
    throw new ParapetError('MISSING_PEER', 'parapet mcp needs the `pg` package to reach PostgreSQL: npm install pg', { cause });
  }
  const pool = new pg.Pool({ connectionString: url, max: 4, application_name: 'parapet-mcp' });
  pool.on('error', () => {});
  try {
    const store = await createEvidenceStore({ database: pool, extensions });
    const close = store.close.bind(store);
    return Object.assign(store, {
      close: async () => {
        await close();
        await pool.end();
      },
    });
  } catch (error) {
    await pool.end();
    throw error;
  }
}

export interface McpHttpListener {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Serves an MCP handler on its own listener (default 127.0.0.1: never reachable from other machines unless told). */
export async function listenMcp(handler: McpHandler, options: { host?: string; port?: number; path?: string } = {}): Promise<McpHttpListener> {
  const host = options.host ?? '127.0.0.1';
  const path = options.path ?? '/mcp';
  const node = toNodeHandler(handler);
  const server = createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname !== path && pathname !== handler.protectedResourceMetadataPath) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify(new ParapetError('NOT_FOUND', `The MCP endpoint is ${path}.`).toJSON()));
      return;
    }
    void node(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_MCP_PORT, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}${path}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A verify hook accepting one static bearer token (compared in constant time). */
export function staticTokenVerify(token: string, principal = localPrincipal()): (request: Request) => typeof principal | null {
  const want = createHash('sha256').update(token).digest();
  return (request) => {
    const given = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1]?.trim();
    if (!given) return null;
    return timingSafeEqual(createHash('sha256').update(given).digest(), want) ? principal : null;
  };
}

export interface RunMcpArgs {
  /** Serve HTTP on a listener instead of stdio. */
  http?: boolean;
  host?: string;
  port?: number;
  env?: NodeJS.ProcessEnv;
  /** Human-readable messages (stderr: stdout belongs to the stdio protocol). */
  log?: (line: string) => void;
  /** Resolves when the server should stop (default: stdin closed for stdio, SIGINT/SIGTERM for HTTP). */
  until?: Promise<void>;
}

/** What `parapet mcp` runs. Resolves with the exit code when the server stops. */
export async function runMcp(args: RunMcpArgs = {}): Promise<number> {
  const env = args.env ?? process.env;
  const log = args.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const token = env.PARAPET_MCP_TOKEN?.trim();
  const host = args.host ?? '127.0.0.1';
  if (args.http) {
    if (!token || token.length < 24) throw new ParapetError('USAGE', 'parapet mcp --http needs PARAPET_MCP_TOKEN (at least 24 characters, e.g. from `openssl rand -hex 24`): clients send it as `Authorization: Bearer <token>`. There is no anonymous access.');
    if (!LOOPBACK.has(host) && env.PARAPET_MCP_ALLOW_REMOTE !== '1') throw new ParapetError('USAGE', `parapet mcp --http binds to localhost only; --host ${host} also needs PARAPET_MCP_ALLOW_REMOTE=1 (and TLS in front of it).`);
  }
  const store = await openStoreFromEnvironment(env);
  const sloStatus = env.PROMETHEUS_URL ? prometheusSloSource({ url: env.PROMETHEUS_URL }) : undefined;
  const onError = (error: unknown) => log(`parapet mcp: ${error instanceof Error ? error.message : String(error)}`);
  try {
    if (!args.http) {
      const ended = args.until ?? new Promise<void>((resolve) => process.stdin.once('end', () => resolve()).once('close', () => resolve()));
      const served = await serveMcpStdio({ store, onError, ...(sloStatus ? { sloStatus } : {}) });
      await ended;
      await served.close();
      return 0;
    }
    const handler = createParapetMcpHandler({ store, verify: staticTokenVerify(token!), onError, ...(LOOPBACK.has(host) ? { allowedHosts: ['localhost', '127.0.0.1', '[::1]'] } : {}), ...(sloStatus ? { sloStatus } : {}) });
    const listener = await listenMcp(handler, { host, port: args.port ?? DEFAULT_MCP_PORT });
    log(`parapet mcp: serving read-only MCP on ${listener.url} (Authorization: Bearer $PARAPET_MCP_TOKEN)`);
    await (args.until ??
      new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      }));
    await listener.close();
    await handler.close();
    return 0;
  } finally {
    await store.close();
  }
}
