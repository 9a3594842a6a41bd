import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely/migration';
import { ParapetError } from '@parapet/core/integration';
import type { EvidenceExtension } from './contract.js';

/** Parapet's own migration bookkeeping tables, so they live beside the host's `kysely_migration`. */
export const MIGRATION_TABLE = 'parapet_migration';
export const MIGRATION_LOCK_TABLE = 'parapet_migration_lock';

/** Kept below every table name so an extension's timeline entries etc. can reference the spine. */
const INCIDENT_STATES = sql.raw(`('open', 'investigating', 'resolved')`);
const TIMELINE_TYPES = sql.raw(
  `('alert_fired', 'alert_refired', 'alert_resolved', 'acknowledged', 'note', 'operator_action', 'system_action', 'notification', 'deploy', 'flag_change', 'triage_snapshot', 'truncated_alerts')`,
);

const v0001: Migration = {
  async up(db: Kysely<any>) {
    await sql`CREATE SEQUENCE parapet_change_seq`.execute(db);

    await db.schema
      .createTable('parapet_incident')
      .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state IN ${INCIDENT_STATES}`))
      .addColumn('correlation_key', 'text', (c) => c.notNull().check(sql`length(correlation_key) > 0`))
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('group_key', 'text')
      .addColumn('alertname', 'text', (c) => c.notNull())
      .addColumn('severity', 'text')
      .addColumn('slo', 'text')
      .addColumn('service', 'text')
      .addColumn('labels', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('annotations', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('runbook_url', 'text')
      .addColumn('trace_id', 'text')
      .addColumn('triage_summary', 'text')
      .addColumn('escalation_step', 'integer', (c) => c.notNull().defaultTo(0).check(sql`escalation_step >= 0`))
      .addColumn('next_escalation_at', 'timestamptz')
      .addColumn('suppressed_until', 'timestamptz')
      .addColumn('escalation_stopped', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
      .addColumn('acknowledged_at', 'timestamptz')
      .addColumn('acknowledged_by', 'text')
      .addColumn('assignee', 'text')
      .addColumn('resolved_at', 'timestamptz')
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('change_seq', 'bigint', (c) => c.notNull().defaultTo(sql`nextval('parapet_change_seq')`))
      .addCheckConstraint('parapet_incident_resolved_has_time', sql`(state = 'resolved') = (resolved_at IS NOT NULL)`)
      .execute();
    // At most one active incident per correlation key: a duplicate is impossible, not unlikely.
    await sql`CREATE UNIQUE INDEX parapet_incident_active_key ON parapet_incident (correlation_key) WHERE state <> 'resolved'`.execute(db);
    await sql`CREATE INDEX parapet_incident_active_queue ON parapet_incident (opened_at DESC, id DESC) WHERE state <> 'resolved'`.execute(db);
    await sql`CREATE INDEX parapet_incident_queue ON parapet_incident (opened_at DESC, id DESC)`.execute(db);
    await sql`CREATE INDEX parapet_incident_resolved_queue ON parapet_incident (opened_at DESC, id DESC) WHERE state = 'resolved'`.execute(db);
    await sql`CREATE INDEX parapet_incident_by_key ON parapet_incident (correlation_key, opened_at DESC)`.execute(db);
    await sql`CREATE INDEX parapet_incident_retention ON parapet_incident (resolved_at) WHERE state = 'resolved'`.execute(db);
    await sql`CREATE INDEX parapet_incident_change ON parapet_incident (change_seq)`.execute(db);

    await db.schema
      .createTable('parapet_incident_alert')
      .addColumn('incident_id', 'bigint', (c) => c.notNull().references('parapet_incident.id').onDelete('cascade'))
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('firing', 'resolved')`))
      .addColumn('labels', 'jsonb', (c) => c.notNull())
      .addColumn('annotations', 'jsonb', (c) => c.notNull())
      .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
      .addColumn('ends_at', 'timestamptz')
      .addPrimaryKeyConstraint('parapet_incident_alert_pk', ['incident_id', 'fingerprint'])
      .execute();
    await sql`CREATE INDEX parapet_incident_alert_fingerprint ON parapet_incident_alert (fingerprint)`.execute(db);

    await db.schema
      .createTable('parapet_timeline')
      .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('incident_id', 'bigint', (c) => c.notNull().references('parapet_incident.id').onDelete('cascade'))
      .addColumn('type', 'text', (c) => c.notNull().check(sql`type IN ${TIMELINE_TYPES}`))
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .addColumn('actor', 'text')
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('dedupe_key', 'text')
      .addUniqueConstraint('parapet_timeline_dedupe', ['incident_id', 'dedupe_key'])
      .execute();
    await sql`CREATE INDEX parapet_timeline_by_incident ON parapet_timeline (incident_id, at, id)`.execute(db);

    await db.schema
      .createTable('parapet_audit')
      .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('incident_id', 'bigint', (c) => c.references('parapet_incident.id').onDelete('cascade'))
      .addColumn('actor_id', 'text', (c) => c.notNull().check(sql`length(btrim(actor_id)) > 0`))
      .addColumn('actor_name', 'text', (c) => c.notNull())
      .addColumn('actor_role', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('rationale', 'text', (c) => c.notNull().check(sql`length(btrim(rationale)) > 0`))
      .addColumn('idempotency_key', 'text')
      .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome IN ('succeeded', 'rejected')`))
      .addColumn('before', 'jsonb')
      .addColumn('after', 'jsonb')
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .execute();
    await sql`CREATE INDEX parapet_audit_by_incident ON parapet_audit (incident_id, at, id)`.execute(db);

    await db.schema
      .createTable('parapet_action_item')
      .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('incident_id', 'bigint', (c) => c.notNull().references('parapet_incident.id').onDelete('cascade'))
      .addColumn('title', 'text', (c) => c.notNull().check(sql`length(btrim(title)) > 0`))
      .addColumn('target', 'text')
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status IN ('open', 'done')`))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addUniqueConstraint('parapet_action_item_once', ['incident_id', 'title'])
      .execute();

    await db.schema
      .createTable('parapet_system_event')
      .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('deploy', 'flag_change')`))
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .addColumn('service', 'text')
      .addColumn('slo', 'text')
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
      .execute();
    await sql`CREATE INDEX parapet_system_event_at ON parapet_system_event (at)`.execute(db);

    await db.schema
      .createTable('parapet_claim')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state IN ('claimed', 'done')`))
      .addColumn('lease_until', 'timestamptz', (c) => c.notNull())
      .addColumn('claimed_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await sql`CREATE INDEX parapet_claim_claimed_at ON parapet_claim (claimed_at)`.execute(db);

    await db.schema
      .createTable('parapet_idempotency')
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('route', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull().check(sql`length(key) BETWEEN 1 AND 255`))
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('response', 'jsonb', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('parapet_idempotency_pk', ['actor_id', 'route', 'key'])
      .execute();
    await sql`CREATE INDEX parapet_idempotency_created ON parapet_idempotency (created_at)`.execute(db);

    await db.schema
      .createTable('parapet_loop')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .execute();

    // Timeline entries and audits are append-only: the database refuses UPDATE and DELETE unless
    // the archiver marked its own transaction (set_config('parapet.archiver', 'on', true)).
    await sql`
      CREATE FUNCTION parapet_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF coalesce(current_setting('parapet.archiver', true), '') = 'on' AND TG_OP = 'DELETE' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'parapet: % is append-only (% refused); only the archiver deletes from it', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'P0001', HINT = 'Timeline entries and audits are evidence: add a new entry instead of changing one.';
      END
      $$`.execute(db);
    for (const table of ['parapet_timeline', 'parapet_audit']) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_append_only`)} BEFORE UPDATE OR DELETE ON ${sql.table(table)}
        FOR EACH ROW EXECUTE FUNCTION parapet_append_only()`.execute(db);
      await sql`CREATE TRIGGER ${sql.raw(`${table}_no_truncate`)} BEFORE TRUNCATE ON ${sql.table(table)}
        FOR EACH STATEMENT EXECUTE FUNCTION parapet_append_only()`.execute(db);
    }
  },
  async down(db: Kysely<any>) {
    for (const t of ['parapet_loop', 'parapet_idempotency', 'parapet_claim', 'parapet_system_event', 'parapet_action_item', 'parapet_audit', 'parapet_timeline', 'parapet_incident_alert', 'parapet_incident']) {
      await db.schema.dropTable(t).ifExists().execute();
    }
    await sql`DROP FUNCTION IF EXISTS parapet_append_only()`.execute(db);
    await sql`DROP SEQUENCE IF EXISTS parapet_change_seq`.execute(db);
  },
};

/** The spine's own migrations, in order. Frozen: a shipped migration never changes. */
export const evidenceMigrations: Readonly<Record<string, Migration>> = Object.freeze({
  'evidence/0001_spine': v0001,
});

/**
 * A Kysely `MigrationProvider` with the spine's migrations plus every extension's, named
 * `<extension>/<key>`. Extensions may be added later: migrations run with
 * `allowUnorderedMigrations`, so a new extension's first migration still runs.
 */
export function evidenceMigrationProvider(args: { extensions?: readonly EvidenceExtension[] } = {}): MigrationProvider {
  const all: Record<string, Migration> = { ...evidenceMigrations };
  for (const ext of args.extensions ?? []) {
    if (!/^[a-z][a-z0-9-]*$/.test(ext.name) || ext.name === 'evidence') {
      throw new ParapetError('INVALID_OPTIONS', `evidence extension name "${ext.name}" must be lower-case letters, digits and dashes, and not "evidence".`);
    }
    for (const [key, migration] of Object.entries(ext.migrations ?? {})) all[`${ext.name}/${key}`] = migration;
  }
  return { getMigrations: async () => all };
}

function evidenceMigrator(args: { db: Kysely<any>; extensions?: readonly EvidenceExtension[] }): Migrator {
  return new Migrator({
    db: args.db,
    provider: evidenceMigrationProvider({ extensions: args.extensions }),
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    allowUnorderedMigrations: true,
  });
}

/**
 * Names of the migrations (the spine's and its extensions') not yet applied to this database, in
 * order. Reads only: safe through PgBouncer and while another process migrates.
 */
export async function pendingEvidenceMigrations(args: { db: Kysely<any>; extensions?: readonly EvidenceExtension[] }): Promise<string[]> {
  const all = await evidenceMigrator(args).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

export interface MigrateReport {
  /** Per-step statuses (Kysely's `MigrationResult`s), also when a step failed. */
  results: NonNullable<MigrationResultSet['results']>;
  /** The error of the failing step, when one failed (nothing after it ran). */
  error?: ParapetError;
}

/**
 * Runs every pending migration. Run it over a **direct** connection (not through PgBouncer in
 * transaction mode): Kysely's PostgreSQL migration lock is a session-level advisory lock taken
 * and released in separate transactions, which a transaction pooler can hand to different server
 * backends. Never throws for a failing step: the report carries per-step statuses and the error.
 */
export async function migrateEvidence(args: { db: Kysely<any>; extensions?: readonly EvidenceExtension[] }): Promise<MigrateReport> {
  const { error, results } = await evidenceMigrator(args).migrateToLatest();
  if (error === undefined) return { results: results ?? [] };
  const failed = results?.find((r) => r.status === 'Error');
  return {
    results: results ?? [],
    error: new ParapetError('INTERNAL', `evidence-pg: migration ${failed ? `"${failed.migrationName}" ` : ''}failed: ${error instanceof Error ? error.message : String(error)}. Fix the cause and run \`parapet migrate\` again; steps before it are committed.`, { cause: error }),
  };
}
