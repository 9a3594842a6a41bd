import { userInfo } from 'node:os';
import type { EvidenceStore } from '@parapet/evidence-pg';
import type { RunbookSource, SloStatusSource } from './sources.js';
import { buildServer, type McpPrincipal } from './tools.js';
import { VERSION } from './version.js';

export interface McpStdioOptions {
  store: Pick<EvidenceStore, 'db'>;
  /** Who the local assistant acts for (audited). Default: `PARAPET_MCP_ACTOR`, else `local:<OS user>`. */
  principal?: McpPrincipal;
  sloStatus?: SloStatusSource;
  runbooks?: RunbookSource;
  onError?: (error: unknown) => void;
  /** Streams (tests); default the process's stdin/stdout. */
  transport?: unknown;
}

/** The principal of a local (stdio) session: from the environment, as the MCP spec asks of stdio servers. */
export function localPrincipal(env: NodeJS.ProcessEnv = process.env): McpPrincipal {
  const configured = env.PARAPET_MCP_ACTOR?.trim();
  if (configured) return { id: configured.slice(0, 200) };
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // containers without a passwd entry
  }
  return { id: `local:${user}` };
}

/**
 * Serves the read-only tools over stdio (one connection: the process's stdin/stdout). Resolves
 * with a handle; the connection ends when stdin closes. Never write to stdout yourself while this runs.
 */
export async function serveMcpStdio(options: McpStdioOptions): Promise<{ close(): Promise<void> }> {
  const { serveStdio } = await import('@modelcontextprotocol/server/stdio');
  const principal = options.principal ?? localPrincipal();
  const onError = options.onError ?? ((error: unknown) => process.stderr.write(`parapet mcp: ${error instanceof Error ? error.message : String(error)}\n`));
  return serveStdio(
    () => buildServer({ store: options.store, principal, transport: 'stdio', version: VERSION, now: () => new Date(), onError, ...(options.sloStatus ? { slo: options.sloStatus } : {}), ...(options.runbooks ? { runbooks: options.runbooks } : {}) }),
    { onerror: (e) => onError(e), ...(options.transport ? { transport: options.transport as never } : {}) },
  );
}
