import { sql, type Kysely } from 'kysely';
import { ParapetError } from '@parapet/core/integration';
import { isoMicros } from './alertmanager.js';
import type { ArchiveArgs, ArchiveReport, EvidenceExtension } from './contract.js';
import type { EvidenceDatabase } from './schema.js';

const IDENT = /^[a-z_][a-z0-9_]*$/;

/**
 * Retention. Deletes resolved incidents (only; never open or investigating ones) whose
 * resolution is older than `olderThanMs`, in batches, each batch in one transaction: the batch's
 * audits are exported as JSON lines first (the export runs before the transaction commits; if it
 * throws, nothing of that batch is deleted). Timeline and audit rows go with their incident
 * (the archiver's transaction is the only one the append-only triggers let delete). Also trims
 * idempotency keys, finished or expired claims, old system events and extension tables.
 */
export async function archive(ctx: { db: Kysely<EvidenceDatabase>; args: ArchiveArgs; extensions: readonly EvidenceExtension[]; now: () => Date; idempotencyTtlMs: number }): Promise<ArchiveReport> {
  const { db, args } = ctx;
  if (!Number.isFinite(args.olderThanMs) || args.olderThanMs < 0) throw new ParapetError('INVALID_REQUEST', 'archive(): olderThanMs must be a non-negative number of milliseconds.');
  const dryRun = args.dryRun ?? false;
  if (!dryRun && !args.exportAudits) throw new ParapetError('INVALID_REQUEST', 'archive(): exportAudits is required (audits are exported before they are deleted); pass dryRun: true to only count.');
  const batchSize = args.batchSize ?? 500;
  const now = ctx.now().getTime();
  const cutoff = isoMicros(new Date(now - args.olderThanMs));
  const report: ArchiveReport = { dryRun, incidents: 0, timelineEntries: 0, audits: 0, other: {} };
  const eligible = db.selectFrom('parapet_incident').select('id').where('state', '=', 'resolved').where(sql<boolean>`resolved_at < ${cutoff}::timestamptz`);

  const otherTables: { table: string; where: ReturnType<typeof sql> }[] = [
    { table: 'parapet_idempotency', where: sql`created_at < ${isoMicros(new Date(now - ctx.idempotencyTtlMs))}::timestamptz` },
    { table: 'parapet_claim', where: sql`(state = 'done' OR lease_until < ${isoMicros(new Date(now))}::timestamptz) AND claimed_at < ${cutoff}::timestamptz` },
    { table: 'parapet_system_event', where: sql`at < ${cutoff}::timestamptz` },
  ];
  for (const ext of ctx.extensions) {
    for (const r of ext.retention ?? []) {
      if (!IDENT.test(r.table) || !IDENT.test(r.column)) throw new ParapetError('INVALID_OPTIONS', `extension ${ext.name}: retention table and column must be plain identifiers.`);
      otherTables.push({ table: r.table, where: sql`${sql.ref(r.column)} < ${isoMicros(new Date(now - r.maxAgeMs))}::timestamptz` });
    }
  }

  if (dryRun) {
    const count = async (q: ReturnType<typeof sql>) => Number(((await q.execute(db)).rows[0] as { n: string }).n);
    report.incidents = await count(sql`SELECT count(*)::text AS n FROM parapet_incident WHERE state = 'resolved' AND resolved_at < ${cutoff}::timestamptz`);
    report.timelineEntries = await count(sql`SELECT count(*)::text AS n FROM parapet_timeline WHERE incident_id IN (${eligible})`);
    report.audits = await count(sql`SELECT count(*)::text AS n FROM parapet_audit WHERE incident_id IN (${eligible})`);
    for (const o of otherTables) report.other[o.table] = await count(sql`SELECT count(*)::text AS n FROM ${sql.table(o.table)} WHERE ${o.where}`);
    return report;
  }

  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      await sql`SELECT set_config('parapet.archiver', 'on', true)`.execute(trx);
      const batch = await trx
        .selectFrom('parapet_incident')
        .select(sql<string>`id::text`.as('id'))
        .where('state', '=', 'resolved')
        .where(sql<boolean>`resolved_at < ${cutoff}::timestamptz`)
        .orderBy('resolved_at')
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      if (batch.length === 0) return true;
      const ids = batch.map((b) => b.id);
      const audits = await trx.selectFrom('parapet_audit').selectAll().where(sql<boolean>`incident_id = ANY(${sql.val(ids)}::bigint[])`).orderBy('id').execute();
      if (audits.length > 0) await args.exportAudits!(audits.map((a) => JSON.stringify(a)).join('\n') + '\n');
      const timeline = await sql<{ n: string }>`WITH d AS (DELETE FROM parapet_timeline WHERE incident_id = ANY(${sql.val(ids)}::bigint[]) RETURNING 1) SELECT count(*)::text AS n FROM d`.execute(trx);
      await sql`DELETE FROM parapet_audit WHERE incident_id = ANY(${sql.val(ids)}::bigint[])`.execute(trx);
      // Re-check the state under the row lock: an incident reopened meanwhile is not deleted.
      const deleted = await sql<{ n: string }>`WITH d AS (DELETE FROM parapet_incident WHERE id = ANY(${sql.val(ids)}::bigint[]) AND state = 'resolved' RETURNING 1) SELECT count(*)::text AS n FROM d`.execute(trx);
      report.incidents += Number(deleted.rows[0]!.n);
      report.timelineEntries += Number(timeline.rows[0]!.n);
      report.audits += audits.length;
      return batch.length < batchSize;
    });
    if (done) break;
  }
  if (report.incidents > 0) {
    // Moves the queue's change token: deleting old rows does not raise max(change_seq).
    await sql`INSERT INTO parapet_loop (name, at) VALUES ('last_archive', clock_timestamp()) ON CONFLICT (name) DO UPDATE SET at = excluded.at`.execute(db);
  }
  for (const o of otherTables) {
    const res = await sql<{ n: string }>`WITH d AS (DELETE FROM ${sql.table(o.table)} WHERE ${o.where} RETURNING 1) SELECT count(*)::text AS n FROM d`.execute(db);
    report.other[o.table] = Number(res.rows[0]!.n);
  }
  return report;
}
