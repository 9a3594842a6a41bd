// @parapet/mcp — a read-only Model Context Protocol server over Parapet's evidence store.

export { createParapetMcpHandler, type McpHandler, type McpHandlerOptions, type McpOAuthOptions } from './handler.js';
export { serveMcpStdio, localPrincipal, type McpStdioOptions } from './stdio.js';
export { runMcp, listenMcp, openStoreFromEnvironment, staticTokenVerify, DEFAULT_MCP_PORT, type RunMcpArgs, type McpHttpListener } from './run.js';
export { mcpEvidenceExtension, recordMcpCall, MCP_AUDIT_TABLE, DEFAULT_AUDIT_RETENTION_MS, type McpAuditRecord } from './audit.js';
export { prometheusSloSource, type PrometheusSloSourceOptions } from './sources.js';
export type { SloStatus, SloStatusSource, Runbook, RunbookSource } from './sources.js';
export { TOOL_NAMES, DATA_NOTICE, type McpPrincipal } from './tools.js';
export { LIMITS, UNTRUSTED_BEGIN, UNTRUSTED_END, readOnly } from './reader.js';
