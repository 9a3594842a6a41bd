import { sql, type Kysely } from 'kysely';
import type { EvidenceExtension, EvidenceStore } from '@parapet/evidence-pg';

/** The table every MCP call is recorded in (one row per tool call or resource read). */
export const MCP_AUDIT_TABLE = 'parapet_mcp_audit';

/** How long audit rows are kept by the evidence archiver by default: 400 days. */
export const DEFAULT_AUDIT_RETENTION_MS = 400 * 86_400_000;

/**
 * The evidence-store extension that adds the MCP audit table. Pass it to
 * `createEvidenceStore({ extensions: [mcpEvidenceExtension()] })` (or run `migrateEvidence` with
 * it) before serving MCP. The table is insert-only: a trigger refuses UPDATE, so a recorded call
 * can be trimmed by retention but never rewritten.
 */
export function mcpEvidenceExtension(options: { retentionMs?: number } = {}): EvidenceExtension {
  return {
    name: 'mcp',
    migrations: {
      '0001_audit': {
        async up(db: Kysely<any>) {
          await db.schema
            .createTable(MCP_AUDIT_TABLE)
            .addColumn('id', 'bigserial', (c) => c.primaryKey())
            .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
            .addColumn('actor_id', 'text', (c) => c.notNull())
            .addColumn('actor_name', 'text')
            .addColumn('client', 'text')
            .addColumn('transport', 'text', (c) => c.notNull())
            .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('tool', 'resource', 'request')`))
            .addColumn('name', 'text', (c) => c.notNull())
            .addColumn('incident_id', 'text')
            .addColumn('arguments', 'jsonb', (c) => c.notNull())
            .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome IN ('ok', 'error')`))
            .addColumn('error', 'text')
            .execute();
          await sql`CREATE INDEX parapet_mcp_audit_at ON parapet_mcp_audit (at)`.execute(db);
          await sql`CREATE INDEX parapet_mcp_audit_incident ON parapet_mcp_audit (incident_id) WHERE incident_id IS NOT NULL`.execute(db);
          await sql`CREATE FUNCTION parapet_mcp_audit_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'parapet_mcp_audit is insert-only'; END $$`.execute(db);
          await sql`CREATE TRIGGER parapet_mcp_audit_no_update BEFORE UPDATE ON parapet_mcp_audit FOR EACH ROW EXECUTE FUNCTION parapet_mcp_audit_immutable()`.execute(db);
        },
        async down(db: Kysely<any>) {
          await db.schema.dropTable(MCP_AUDIT_TABLE).ifExists().execute();
          await sql`DROP FUNCTION IF EXISTS parapet_mcp_audit_immutable()`.execute(db);
        },
      },
    },
    retention: [{ table: MCP_AUDIT_TABLE, column: 'at', maxAgeMs: options.retentionMs ?? DEFAULT_AUDIT_RETENTION_MS }],
  };
}

/** One audited call. */
export interface McpAuditRecord {
  actorId: string;
  actorName?: string | null;
  /** The MCP client's name and version, when it said. */
  client?: string | null;
  transport: 'http' | 'stdio';
  /** `request`: a JSON-RPC method refused before any tool ran (unknown method, unknown tool, invalid arguments). */
  kind: 'tool' | 'resource' | 'request';
  /** Tool name, resource URI, or JSON-RPC method. */
  name: string;
  incidentId?: string | null;
  arguments: Record<string, unknown>;
  outcome: 'ok' | 'error';
  error?: string | null;
}

const MAX_ARGUMENTS_CHARS = 4000;

/**
 * The insert-only audit path: one INSERT in its own short transaction, separate from the tools'
 * read-only transactions. Nothing else in this package writes.
 */
export async function recordMcpCall(store: Pick<EvidenceStore, 'db'>, record: McpAuditRecord): Promise<void> {
  let args = JSON.stringify(record.arguments ?? {});
  if (args.length > MAX_ARGUMENTS_CHARS) args = JSON.stringify({ _truncated: true, prefix: args.slice(0, MAX_ARGUMENTS_CHARS) });
  const db = store.db as unknown as Kysely<any>;
  await db
    .insertInto(MCP_AUDIT_TABLE)
    .values({
      actor_id: record.actorId.slice(0, 200),
      actor_name: record.actorName?.slice(0, 200) ?? null,
      client: record.client?.slice(0, 200) ?? null,
      transport: record.transport,
      kind: record.kind,
      name: record.name.slice(0, 500),
      incident_id: record.incidentId ?? null,
      arguments: args,
      outcome: record.outcome,
      error: record.error?.slice(0, 1000) ?? null,
    })
    .execute();
}
