import { sql, type Transaction } from 'kysely';
import { ParapetError } from '@parapet/core/integration';
import { isoUtcColumn, selectIncidentRows, type EvidenceDatabase, type EvidenceStore, type IncidentRow } from '@parapet/evidence-pg';

/**
 * The read side of the MCP server. Every query runs inside a transaction opened with
 * `SET TRANSACTION READ ONLY`, so PostgreSQL (and PGlite) refuse any write, whatever a tool does.
 * Every list is a keyset page with a hard upper bound; every free-text field is capped.
 */

type Trx = Transaction<EvidenceDatabase>;

/** Runs `fn` in a read-only transaction on the store's database. */
export async function readOnly<T>(store: Pick<EvidenceStore, 'db'>, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return store.db.transaction().execute(async (trx) => {
    await sql`SET TRANSACTION READ ONLY`.execute(trx);
    return fn(trx);
  });
}

/** Caps on what one call can return. */
export const LIMITS = {
  incidentsPerPage: 50,
  entriesPerPage: 100,
  changesPerPage: 100,
  alertsPerIncident: 20,
  labelsPerObject: 40,
  textChars: 2000,
  dataChars: 2000,
  sloCount: 100,
  runbookChars: 20_000,
} as const;

const json = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

/** Caps a string: control characters (except newline and tab) removed, length bounded. */
export function capText(value: string | null | undefined, max: number = LIMITS.textChars): string | null {
  if (value === null || value === undefined) return null;
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '');
  return clean.length > max ? `${clean.slice(0, max)}… [truncated ${clean.length - max} chars]` : clean;
}

export const UNTRUSTED_BEGIN = '<<<UNTRUSTED_ALERT_TEXT';
export const UNTRUSTED_END = 'UNTRUSTED_ALERT_TEXT>>>';

/**
 * Alert text (annotations, labels written by whoever configured the alert, or by anything that can
 * make an alert fire) wrapped in markers so an assistant reads it as quoted data. Markers inside the
 * text are defused so it cannot close the quote early.
 */
export function untrusted(value: string | null | undefined, max: number = LIMITS.textChars): string | null {
  const text = capText(value, max);
  if (text === null) return null;
  const defused = text.split(UNTRUSTED_BEGIN).join('<<< UNTRUSTED_ALERT_TEXT').split(UNTRUSTED_END).join('UNTRUSTED_ALERT_TEXT >>>');
  return `${UNTRUSTED_BEGIN}\n${defused}\n${UNTRUSTED_END}`;
}

function boundedRecord(value: Record<string, unknown> | null | undefined, wrap: (s: string) => string | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value || typeof value !== 'object') return out;
  const keys = Object.keys(value).sort().slice(0, LIMITS.labelsPerObject);
  for (const k of keys) out[capText(k, 100)!] = wrap(String(value[k])) ?? '';
  return out;
}

/** JSON data (timeline entries, system events) capped as serialized text. */
function boundedData(value: unknown): Record<string, unknown> {
  const data = json<Record<string, unknown> | null>(value) ?? {};
  const text = JSON.stringify(data);
  if (text.length <= LIMITS.dataChars) return data;
  return { _truncated: true, json: untrusted(text, LIMITS.dataChars) };
}

export function encodeCursor(kind: string, parts: string[]): string {
  return Buffer.from(JSON.stringify([kind, ...parts])).toString('base64url');
}

export function decodeCursor(cursor: string, kind: string, arity: number): string[] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value[0] === kind && value.length === arity + 1 && value.slice(1).every((v) => typeof v === 'string' && v.length < 64)) {
      return value.slice(1) as string[];
    }
  } catch {
    // fall through
  }
  throw new ParapetError('INVALID_REQUEST', `cursor is not a ${kind} cursor this server returned; pass nextCursor from the previous page unchanged.`);
}

const ID = /^[0-9]{1,18}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

function timestampPart(value: string): string {
  if (!TIMESTAMP.test(value)) throw new ParapetError('INVALID_REQUEST', 'cursor is malformed; pass nextCursor from the previous page unchanged.');
  return value;
}
function idPart(value: string): string {
  if (!ID.test(value)) throw new ParapetError('INVALID_REQUEST', 'cursor is malformed; pass nextCursor from the previous page unchanged.');
  return value;
}

export interface IncidentSummary {
  id: string;
  state: 'open' | 'investigating' | 'resolved';
  alertname: string;
  severity: string | null;
  slo: string | null;
  service: string | null;
  openedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  assignee: string | null;
  resolvedAt: string | null;
  runbookUrl: string | null;
  triageSummary: string | null;
  /** `summary` annotation, delimited as untrusted alert text. */
  summary: string | null;
}

export interface IncidentDetailView extends IncidentSummary {
  description: string | null;
  traceId: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  escalation: { step: number; nextAt: string | null; suppressedUntil: string | null; stopped: boolean };
  alerts: { fingerprint: string; status: 'firing' | 'resolved'; startsAt: string; endsAt: string | null }[];
  alertsTotal: number;
  updatedAt: string;
}


function toSummary(row: IncidentRow): IncidentSummary {
  const annotations = json<Record<string, string>>(row.annotations) ?? {};
  return {
    id: row.id,
    state: row.state,
    alertname: capText(row.alertname, 200)!,
    severity: capText(row.severity, 100),
    slo: capText(row.slo, 200),
    service: capText(row.service, 200),
    openedAt: row.opened_at,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: capText(row.acknowledged_by, 200),
    assignee: capText(row.assignee, 200),
    resolvedAt: row.resolved_at,
    runbookUrl: capText(row.runbook_url, 500),
    triageSummary: untrusted(row.triage_summary),
    summary: untrusted(annotations.summary),
  };
}

export interface IncidentFilter {
  state: 'active' | 'resolved' | 'all';
  severity?: string;
  slo?: string;
  service?: string;
  openedAfter?: string;
  openedBefore?: string;
  limit: number;
  cursor?: string;
}

export async function listIncidents(trx: Trx, f: IncidentFilter): Promise<{ incidents: IncidentSummary[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(1, f.limit), LIMITS.incidentsPerPage);
  let q = selectIncidentRows(trx);
  if (f.state === 'active') q = q.where('i.state', '<>', 'resolved');
  else if (f.state === 'resolved') q = q.where('i.state', '=', 'resolved');
  if (f.severity) q = q.where('i.severity', '=', f.severity);
  if (f.slo) q = q.where('i.slo', '=', f.slo);
  if (f.service) q = q.where('i.service', '=', f.service);
  if (f.openedAfter) q = q.where(sql<boolean>`i.opened_at >= ${f.openedAfter}::timestamptz`);
  if (f.openedBefore) q = q.where(sql<boolean>`i.opened_at < ${f.openedBefore}::timestamptz`);
  if (f.cursor) {
    const [openedAt, id] = decodeCursor(f.cursor, 'incidents', 2);
    q = q.where(sql<boolean>`(i.opened_at, i.id) < (${timestampPart(openedAt!)}::timestamptz, ${idPart(id!)}::bigint)`);
  }
  const rows = await q.orderBy('i.opened_at', 'desc').orderBy('i.id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { incidents: page.map(toSummary), nextCursor: rows.length > limit && last ? encodeCursor('incidents', [last.opened_at, last.id]) : null };
}

export async function incidentDetail(trx: Trx, id: string): Promise<IncidentDetailView | undefined> {
  if (!ID.test(id)) return undefined;
  const row = await selectIncidentRows(trx).where(sql<boolean>`i.id = ${id}::bigint`).executeTakeFirst();
  if (!row) return undefined;
  const alerts = await trx
    .selectFrom('parapet_incident_alert')
    .select(['fingerprint', 'status', isoUtcColumn('starts_at').as('starts_at'), isoUtcColumn('ends_at').as('ends_at')])
    .where(sql<boolean>`incident_id = ${id}::bigint`)
    .orderBy('starts_at', 'desc')
    .orderBy('fingerprint')
    .limit(LIMITS.alertsPerIncident)
    .execute();
  const total = await trx.selectFrom('parapet_incident_alert').select(sql<string>`count(*)::text`.as('n')).where(sql<boolean>`incident_id = ${id}::bigint`).executeTakeFirstOrThrow();
  const annotations = json<Record<string, string>>(row.annotations) ?? {};
  return {
    ...toSummary(row),
    description: untrusted(annotations.description),
    traceId: capText(row.trace_id, 100),
    labels: boundedRecord(json(row.labels), (s) => capText(s, 500)),
    annotations: boundedRecord(annotations, (s) => untrusted(s)),
    escalation: { step: Number(row.escalation_step), nextAt: row.next_escalation_at, suppressedUntil: row.suppressed_until, stopped: Boolean(row.escalation_stopped) },
    alerts: alerts.map((a) => ({ fingerprint: capText(a.fingerprint, 100)!, status: a.status, startsAt: a.starts_at, endsAt: a.ends_at })),
    alertsTotal: Number(total.n),
    updatedAt: row.updated_at,
  };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface TimelineItem {
  id: string;
  type: string;
  at: string;
  actor: string | null;
  summary: string | null;
  data: Record<string, unknown>;
}

export async function timelinePage(trx: Trx, id: string, limit: number, cursor?: string): Promise<Page<TimelineItem>> {
  let q = trx
    .selectFrom('parapet_timeline')
    .select([sql<string>`id::text`.as('id'), 'type', isoUtcColumn('at').as('at'), 'actor', 'summary', 'data'])
    .where(sql<boolean>`incident_id = ${id}::bigint`);
  if (cursor) {
    const [cid, at] = decodeCursor(cursor, `timeline:${id}`, 2);
    q = q.where(sql<boolean>`(at, id) > (${timestampPart(at!)}::timestamptz, ${idPart(cid!)}::bigint)`);
  }
  const rows = await q.orderBy('at').orderBy('id').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({ id: r.id, type: r.type, at: r.at, actor: capText(r.actor, 200), summary: untrusted(r.summary), data: boundedData(r.data) })),
    nextCursor: rows.length > limit && last ? encodeCursor(`timeline:${id}`, [last.id, last.at]) : null,
  };
}

export interface AuditItem {
  id: string;
  at: string;
  actor: { id: string; name: string; role: string };
  action: string;
  rationale: string | null;
  outcome: string;
}

export async function auditPage(trx: Trx, id: string, limit: number, cursor?: string): Promise<Page<AuditItem>> {
  let q = trx
    .selectFrom('parapet_audit')
    .select([sql<string>`id::text`.as('id'), isoUtcColumn('at').as('at'), 'actor_id', 'actor_name', 'actor_role', 'action', 'rationale', 'outcome'])
    .where(sql<boolean>`incident_id = ${id}::bigint`);
  if (cursor) {
    const [cid] = decodeCursor(cursor, `audits:${id}`, 1);
    q = q.where(sql<boolean>`id > ${idPart(cid!)}::bigint`);
  }
  const rows = await q.orderBy('id').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({ id: r.id, at: r.at, actor: { id: capText(r.actor_id, 200)!, name: capText(r.actor_name, 200)!, role: r.actor_role }, action: r.action, rationale: capText(r.rationale), outcome: r.outcome })),
    nextCursor: rows.length > limit && last ? encodeCursor(`audits:${id}`, [last.id]) : null,
  };
}

export interface ActionItemView {
  id: string;
  title: string;
  target: string | null;
  status: 'open' | 'done';
  createdBy: string;
  createdAt: string;
}

export async function actionItemPage(trx: Trx, id: string, limit: number, cursor?: string): Promise<Page<ActionItemView>> {
  let q = trx
    .selectFrom('parapet_action_item')
    .select([sql<string>`id::text`.as('id'), 'title', 'target', 'status', 'created_by', isoUtcColumn('created_at').as('created_at')])
    .where(sql<boolean>`incident_id = ${id}::bigint`);
  if (cursor) {
    const [cid] = decodeCursor(cursor, `actionItems:${id}`, 1);
    q = q.where(sql<boolean>`id > ${idPart(cid!)}::bigint`);
  }
  const rows = await q.orderBy('id').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({ id: r.id, title: capText(r.title, 500)!, target: capText(r.target, 500), status: r.status, createdBy: capText(r.created_by, 200)!, createdAt: r.created_at })),
    nextCursor: rows.length > limit && last ? encodeCursor(`actionItems:${id}`, [last.id]) : null,
  };
}

export interface ChangeItem {
  id: string;
  kind: 'deploy' | 'flag_change';
  at: string;
  service: string | null;
  slo: string | null;
  summary: string | null;
  data: Record<string, unknown>;
}

export async function changesPage(
  trx: Trx,
  f: { from: string; to: string; kind: 'deploy' | 'flag_change' | 'all'; service?: string; slo?: string; limit: number; cursor?: string },
): Promise<Page<ChangeItem>> {
  let q = trx
    .selectFrom('parapet_system_event')
    .select([sql<string>`id::text`.as('id'), 'kind', isoUtcColumn('at').as('at'), 'service', 'slo', 'summary', 'data'])
    .where(sql<boolean>`at BETWEEN ${f.from}::timestamptz AND ${f.to}::timestamptz`);
  if (f.kind !== 'all') q = q.where('kind', '=', f.kind);
  if (f.service) q = q.where('service', '=', f.service);
  if (f.slo) q = q.where('slo', '=', f.slo);
  if (f.cursor) {
    const [at, cid] = decodeCursor(f.cursor, 'changes', 2);
    q = q.where(sql<boolean>`(at, id) < (${timestampPart(at!)}::timestamptz, ${idPart(cid!)}::bigint)`);
  }
  const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(f.limit + 1).execute();
  const page = rows.slice(0, f.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({ id: r.id, kind: r.kind, at: r.at, service: capText(r.service, 200), slo: capText(r.slo, 200), summary: untrusted(r.summary), data: boundedData(r.data) })),
    nextCursor: rows.length > f.limit && last ? encodeCursor('changes', [last.at, last.id]) : null,
  };
}
