import { userInfo } from 'node:os';
import type { EvidenceStore } from '@parapet/evidence-pg';
import { recordMcpCall } from './audit.js';
import type { RunbookSource, SloStatusSource } from './sources.js';
import { buildServer, PLUMBING, type McpPrincipal } from './tools.js';
import { VERSION } from './version.js';

export interface McpStdioOptions {
  store: Pick<EvidenceStore, 'db'>;
  /** Who the local assistant acts for (audited). Default: `PARAPET_MCP_ACTOR`, else `local:<OS user>`. */
  principal?: McpPrincipal;
  sloStatus?: SloStatusSource;
  runbooks?: RunbookSource;
  onError?: (error: unknown) => void;
  /** Streams (tests); default the process's stdin/stdout. */
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
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
  const { serveStdio, StdioServerTransport } = await import('@modelcontextprotocol/server/stdio');
  const principal = options.principal ?? localPrincipal();
  const onError = options.onError ?? ((error: unknown) => process.stderr.write(`parapet mcp: ${error instanceof Error ? error.message : String(error)}\n`));
  const inner = new StdioServerTransport(options.input as never, options.output as never);

  // Calls the protocol layer refuses before any tool runs (unknown tool, invalid arguments,
  // unknown method) are audited here, before their answer is written.
  const pending = new Map<string | number, { method: string; params: { name?: unknown; uri?: unknown; arguments?: unknown } | undefined }>();
  const audited = new Set<string | number>();
  let client: string | null = null;
  const transport = new Proxy(inner, {
    set(target, prop, value) {
      if (prop === 'onmessage' && typeof value === 'function') {
        const deliver = value as (message: unknown, extra?: unknown) => void;
        (target as unknown as Record<string, unknown>).onmessage = (message: { id?: string | number; method?: string; params?: Record<string, unknown> }, extra?: unknown) => {
          if (message.method === 'initialize') {
            const info = (message.params?.clientInfo ?? {}) as { name?: string; version?: string };
            if (info.name) client = `${info.name}/${info.version ?? '?'}`;
          }
          if (message.id !== undefined && typeof message.method === 'string' && !PLUMBING.has(message.method) && !message.method.startsWith('notifications/')) {
            pending.set(message.id, { method: message.method, params: message.params as never });
          }
          deliver(message, extra);
        };
        return true;
      }
      return Reflect.set(target, prop, value);
    },
    get(target, prop) {
      if (prop === 'send') {
        return async (message: { id?: string | number }) => {
          const id = message.id;
          const call = id === undefined ? undefined : pending.get(id);
          if (id !== undefined && call) {
            pending.delete(id);
            if (!audited.delete(id)) {
              const name = call.method === 'tools/call' ? String(call.params?.name ?? '') : call.method === 'resources/read' ? String(call.params?.uri ?? '') : call.method;
              const args = call.params?.arguments;
              await recordMcpCall(options.store, {
                actorId: principal.id,
                actorName: principal.name ?? null,
                client,
                transport: 'stdio',
                kind: call.method === 'tools/call' ? 'tool' : call.method === 'resources/read' ? 'resource' : 'request',
                name: name || call.method,
                arguments: args && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>) : {},
                outcome: 'error',
                error: 'refused before any tool ran (unknown tool or method, or invalid arguments)',
              }).catch(onError);
            }
          }
          return target.send(message as never);
        };
      }
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });

  return serveStdio(
    () =>
      buildServer({
        store: options.store,
        principal,
        transport: 'stdio',
        version: VERSION,
        now: () => new Date(),
        onError,
        onAudited: (id) => id !== undefined && audited.add(id),
        ...(options.sloStatus ? { slo: options.sloStatus } : {}),
        ...(options.runbooks ? { runbooks: options.runbooks } : {}),
      }),
    { onerror: (e) => onError(e), transport },
  );
}
