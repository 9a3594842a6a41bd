import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { EvidenceDatabase } from './schema.js';
import type { ActionItem, Audit, Incident, IncidentAlert, TimelineEntry, TimelineType } from './types.js';

/** A timestamptz column read as a canonical UTC string with microseconds (never via a JS Date). */
export function isoUtc(ref: string): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(ref)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

type Db = Kysely<EvidenceDatabase>;

export function selectIncidents(db: Db) {
  return db.selectFrom('parapet_incident as i').select([
    sql<string>`i.id::text`.as('id'),
    'i.state',
    'i.correlation_key',
    'i.fingerprint',
    'i.group_key',
    'i.alertname',
    'i.severity',
    'i.slo',
    'i.service',
    'i.labels',
    'i.annotations',
    'i.runbook_url',
    'i.trace_id',
    'i.triage_summary',
    'i.escalation_step',
    'i.escalation_stopped',
    isoUtc('i.next_escalation_at').as('next_escalation_at'),
    isoUtc('i.suppressed_until').as('suppressed_until'),
    isoUtc('i.opened_at').as('opened_at'),
    isoUtc('i.acknowledged_at').as('acknowledged_at'),
    'i.acknowledged_by',
    'i.assignee',
    isoUtc('i.resolved_at').as('resolved_at'),
    isoUtc('i.updated_at').as('updated_at'),
  ]);
}

export type IncidentRow = Awaited<ReturnType<ReturnType<typeof selectIncidents>['executeTakeFirstOrThrow']>>;

const json = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

export function toIncident(row: IncidentRow, alerts: IncidentAlert[]): Incident {
  return {
    id: row.id,
    state: row.state,
    alertname: row.alertname,
    slo: row.slo,
    severity: row.severity,
    fingerprint: row.fingerprint,
    groupKey: row.group_key,
    correlationKey: row.correlation_key,
    labels: json(row.labels),
    annotations: json(row.annotations),
    runbookUrl: row.runbook_url,
    traceId: row.trace_id,
    triageSummary: row.triage_summary,
    openedAt: row.opened_at,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
    assignee: row.assignee,
    resolvedAt: row.resolved_at,
    escalation: {
      step: Number(row.escalation_step),
      nextAt: row.next_escalation_at,
      suppressedUntil: row.suppressed_until,
      stopped: Boolean(row.escalation_stopped),
    },
    alerts,
    updatedAt: row.updated_at,
  };
}

export async function alertsOf(db: Db, ids: readonly string[]): Promise<Map<string, IncidentAlert[]>> {
  const byIncident = new Map<string, IncidentAlert[]>();
  if (ids.length === 0) return byIncident;
  const rows = await db
    .selectFrom('parapet_incident_alert')
    .select([sql<string>`incident_id::text`.as('incident_id'), 'fingerprint', 'status', 'labels', isoUtc('starts_at').as('starts_at'), isoUtc('ends_at').as('ends_at')])
    .where(sql<boolean>`incident_id = ANY(${sql.val(ids)}::bigint[])`)
    .orderBy('parapet_incident_alert.starts_at')
    .orderBy('parapet_incident_alert.fingerprint')
    .execute();
  for (const r of rows) {
    const list = byIncident.get(r.incident_id) ?? [];
    list.push({ fingerprint: r.fingerprint, status: r.status, labels: json(r.labels), startsAt: r.starts_at, endsAt: r.ends_at });
    byIncident.set(r.incident_id, list);
  }
  return byIncident;
}

export async function loadIncidents(db: Db, rows: IncidentRow[]): Promise<Incident[]> {
  const alerts = await alertsOf(db, rows.map((r) => r.id));
  return rows.map((r) => toIncident(r, alerts.get(r.id) ?? []));
}

export async function loadIncident(db: Db, id: string): Promise<Incident | undefined> {
  const row = await selectIncidents(db).where(sql<boolean>`i.id = ${id}::bigint`).executeTakeFirst();
  return row ? (await loadIncidents(db, [row]))[0] : undefined;
}

export async function timelineOf(db: Db, id: string): Promise<TimelineEntry[]> {
  const rows = await db
    .selectFrom('parapet_timeline')
    .select([sql<string>`id::text`.as('id'), sql<string>`incident_id::text`.as('incident_id'), 'type', isoUtc('at').as('at'), 'actor', 'summary', 'data'])
    .where(sql<boolean>`incident_id = ${id}::bigint`)
    .orderBy('parapet_timeline.at')
    .orderBy('parapet_timeline.id')
    .execute();
  return rows.map((r) => ({ id: r.id, incidentId: r.incident_id, type: r.type as TimelineType, at: r.at, actor: r.actor, summary: r.summary, data: json(r.data) }));
}

export async function auditsOf(db: Db, id: string): Promise<Audit[]> {
  const rows = await db
    .selectFrom('parapet_audit')
    .select([
      sql<string>`id::text`.as('id'),
      sql<string | null>`incident_id::text`.as('incident_id'),
      'actor_id',
      'actor_name',
      'actor_role',
      'action',
      'rationale',
      'idempotency_key',
      'outcome',
      'before',
      'after',
      isoUtc('at').as('at'),
    ])
    .where(sql<boolean>`incident_id = ${id}::bigint`)
    .orderBy('parapet_audit.at')
    .orderBy('parapet_audit.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    incidentId: r.incident_id,
    actor: { id: r.actor_id, name: r.actor_name, role: r.actor_role },
    action: r.action,
    rationale: r.rationale,
    idempotencyKey: r.idempotency_key,
    outcome: r.outcome,
    before: json(r.before),
    after: json(r.after),
    at: r.at,
  }));
}

export async function actionItemsOf(db: Db, id: string): Promise<ActionItem[]> {
  const rows = await db
    .selectFrom('parapet_action_item')
    .select([sql<string>`id::text`.as('id'), sql<string>`incident_id::text`.as('incident_id'), 'title', 'target', 'status', 'created_by', isoUtc('created_at').as('created_at')])
    .where(sql<boolean>`incident_id = ${id}::bigint`)
    .orderBy('parapet_action_item.id')
    .execute();
  return rows.map((r) => ({ id: r.id, incidentId: r.incident_id, title: r.title, target: r.target, status: r.status, createdBy: r.created_by, createdAt: r.created_at }));
}
