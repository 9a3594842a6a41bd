import { ParapetError } from '@parapet/core/integration';
import type { CommandContext } from './context.js';

export interface McpArgs {
  /** Serve Streamable HTTP on a local listener instead of stdio. */
  readonly http: boolean;
  readonly host?: string;
  readonly port?: number;
}

/** Its lines in `parapet help`. */
export const mcpHelp = {
  synopsis: 'parapet mcp [--http [--port <n>] [--host <addr>]]',
  commands: [['mcp', 'read-only MCP server over the evidence store for AI assistants (stdio; --http: 127.0.0.1:7341); reads DATABASE_URL']],
} as const;

/** Validates `--port`/`--host` (only with `--http`). */
export function mcpArgs(values: { http?: boolean; port?: string; host?: string }): McpArgs {
  if (!values.http && (values.port !== undefined || values.host !== undefined)) {
    throw new ParapetError('USAGE', `parapet mcp takes --${values.port !== undefined ? 'port' : 'host'} only with --http (stdio needs no listener).`);
  }
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ParapetError('USAGE', `--port must be a port number from 0 (any free port) to 65535; got "${values.port}".`);
  }
  return { http: values.http === true, ...(port === undefined ? {} : { port }), ...(values.host === undefined ? {} : { host: values.host }) };
}

interface McpModule {
  runMcp(args: { http?: boolean; host?: string; port?: number; log?: (line: string) => void }): Promise<number>;
}

/**
 * `parapet mcp`: serves @parapet/mcp (loaded only now, so the CLI installs without it). Stdout
 * carries the protocol on stdio; every message for humans goes to stderr.
 */
export async function mcp(args: McpArgs, { io }: CommandContext): Promise<number> {
  let mod: McpModule;
  try {
    mod = (await import('@parapet/mcp' as string)) as McpModule;
  } catch (cause) {
    throw new ParapetError('MISSING_PEER', 'parapet mcp needs @parapet/mcp (and pg for PostgreSQL): npm install @parapet/mcp pg', { cause });
  }
  return mod.runMcp({ http: args.http, ...(args.host ? { host: args.host } : {}), ...(args.port !== undefined ? { port: args.port } : {}), log: (line) => io.stderr(`${line}\n`) });
}
