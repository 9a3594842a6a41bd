import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { canonicalTimestamp, type ParsedAlert, type ParsedPayload } from './alertmanager.js';
import { isoUtc } from './rows.js';
import type { EvidenceDatabase } from './schema.js';
import type { AlertOutcome, IngestResult, TimelineType } from './types.js';

type Trx = Transaction<EvidenceDatabase>;

export interface IngestConfig {
  correlateBy: 'fingerprint' | 'groupKey';
  reopenWindowMs: number;
  escalateAfterMs: number;
  correlationWindowMs: number;
  watchdogAlertname: string;
  now: () => string;
}

interface StoredAlert {
  status: 'firing' | 'resolved';
  starts_at: string;
  ends_at: string | null;
}

interface IncidentState {
  id: string;
  state: 'open' | 'investigating' | 'resolved';
  opened_at: string;
  resolved_at: string | null;
}

interface Normalised {
  alert: ParsedAlert;
  fingerprint: string;
  status: 'firing' | 'resolved';
  startsAt: string;
  endsAt: string | null;
}

const addMs = (iso: string, ms: number): string => `${new Date(Date.parse(iso) + ms).toISOString().slice(0, 23)}000Z`;
const sha = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 32);

/**
 * Transaction-scoped advisory locks, one per correlation key (safe behind PgBouncer), taken in
 * one round trip and in a fixed order (by hash) so overlapping deliveries cannot deadlock.
 */
async function lockKeys(trx: Trx, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const names = keys.map((k) => `parapet:incident:${k}`);
  await sql`SELECT count(pg_advisory_xact_lock(h)) FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest(${sql.val(names)}::text[]) AS k ORDER BY h) AS locks`.execute(trx);
}

function normalise(alert: ParsedAlert): Normalised {
  const startsAt = canonicalTimestamp(alert.startsAt)!;
  const endsAt = canonicalTimestamp(alert.endsAt);
  // A firing alert never carries a real endsAt in webhooks; a resolved one always does.
  const status = alert.status === 'resolved' ? 'resolved' : 'firing';
  return { alert, fingerprint: alert.fingerprint, status, startsAt, endsAt: status === 'resolved' ? (endsAt ?? startsAt) : null };
}

async function timeline(trx: Trx, args: { incidentId: string; type: TimelineType; at: string; summary: string; data?: Record<string, unknown>; dedupeKey?: string; actor?: string | null }): Promise<void> {
  await trx
    .insertInto('parapet_timeline')
    .values({
      incident_id: args.incidentId,
      type: args.type,
      at: args.at,
      actor: args.actor ?? null,
      summary: args.summary,
      data: JSON.stringify(args.data ?? {}),
      dedupe_key: args.dedupeKey ?? null,
    })
    .onConflict((oc) => oc.columns(['incident_id', 'dedupe_key']).doNothing())
    .execute();
}

function describe(alert: ParsedAlert): string {
  return alert.annotations.summary ?? alert.labels.alertname ?? alert.fingerprint;
}

/**
 * Records one delivery in the caller's transaction. Serialises per correlation key on a
 * transaction-scoped advisory lock (taken in sorted order, so concurrent deliveries of
 * overlapping groups cannot deadlock), then applies each alert-state event monotonically.
 */
export async function ingestDelivery(trx: Trx, payload: ParsedPayload, config: IngestConfig): Promise<IngestResult> {
  const result: IngestResult = { incidentIds: [], alerts: [], heartbeat: false };
  const alerts: Normalised[] = [];
  for (const alert of payload.alerts) {
    if (alert.labels.alertname === config.watchdogAlertname) result.heartbeat = true;
    else alerts.push(normalise(alert));
  }
  const byKey = new Map<string, Normalised[]>();
  for (const a of alerts) {
    const key = config.correlateBy === 'groupKey' ? payload.groupKey : a.fingerprint;
    const list = byKey.get(key) ?? [];
    list.push(a);
    byKey.set(key, list);
  }
  const keys = [...byKey.keys()].sort();
  const touched = new Set<string>();
  await lockKeys(trx, keys);
  for (const key of keys) {
    const list = byKey.get(key)!.sort((x, y) => (x.startsAt < y.startsAt ? -1 : x.startsAt > y.startsAt ? 1 : x.fingerprint < y.fingerprint ? -1 : 1));
    for (const a of list) {
      const { incidentId, outcome } = await applyAlert(trx, { key, a, payload, config });
      result.alerts.push({ fingerprint: a.fingerprint, incidentId, outcome });
      if (incidentId) touched.add(incidentId);
    }
  }
  if (payload.truncatedAlerts > 0) {
    const dedupeKey = `truncated:${sha(JSON.stringify(payload))}`;
    for (const incidentId of touched) {
      await timeline(trx, {
        incidentId,
        type: 'truncated_alerts',
        at: config.now(),
        summary: `Alertmanager dropped ${payload.truncatedAlerts} alert(s) of this group (max_alerts); alerts missing from the payload are not resolved.`,
        data: { truncatedAlerts: payload.truncatedAlerts, groupKey: payload.groupKey },
        dedupeKey,
      });
    }
  }
  result.incidentIds = [...touched].sort((x, y) => Number(x) - Number(y));
  return result;
}

/** The latest incident of a key (row-locked) and the stored state of one of its alerts, in one round trip. */
async function latestWithAlert(trx: Trx, key: string, fingerprint: string): Promise<{ incident?: IncidentState; stored?: StoredAlert }> {
  const latest = trx
    .selectFrom('parapet_incident')
    .select(['id', 'state', 'opened_at', 'resolved_at'])
    .where('correlation_key', '=', key)
    .orderBy('parapet_incident.opened_at', 'desc')
    .orderBy('parapet_incident.id', 'desc')
    .limit(1)
    .forUpdate()
    .as('i');
  const row = await trx
    .selectFrom(latest)
    .leftJoin('parapet_incident_alert as a', (join) => join.onRef('a.incident_id', '=', 'i.id').on('a.fingerprint', '=', fingerprint))
    .select([
      sql<string>`i.id::text`.as('id'),
      'i.state',
      isoUtc('i.opened_at').as('opened_at'),
      isoUtc('i.resolved_at').as('resolved_at'),
      'a.status',
      isoUtc('a.starts_at').as('starts_at'),
      isoUtc('a.ends_at').as('ends_at'),
    ])
    .executeTakeFirst();
  if (!row) return {};
  return {
    incident: { id: row.id, state: row.state, opened_at: row.opened_at, resolved_at: row.resolved_at },
    stored: row.status ? { status: row.status, starts_at: row.starts_at, ends_at: row.ends_at } : undefined,
  };
}

async function upsertAlert(trx: Trx, incidentId: string, a: Normalised): Promise<void> {
  await trx
    .insertInto('parapet_incident_alert')
    .values({
      incident_id: incidentId,
      fingerprint: a.fingerprint,
      status: a.status,
      labels: JSON.stringify(a.alert.labels),
      annotations: JSON.stringify(a.alert.annotations),
      starts_at: a.startsAt,
      ends_at: a.endsAt,
    })
    .onConflict((oc) =>
      oc.columns(['incident_id', 'fingerprint']).doUpdateSet((eb) => ({
        status: eb.ref('excluded.status'),
        labels: eb.ref('excluded.labels'),
        annotations: eb.ref('excluded.annotations'),
        starts_at: eb.ref('excluded.starts_at'),
        ends_at: eb.ref('excluded.ends_at'),
      })),
    )
    .execute();
}

const eventKey = (a: Normalised, type: string) => `am:${type}:${a.fingerprint}:${a.startsAt}:${a.endsAt ?? ''}`;

async function openIncident(trx: Trx, args: { key: string; a: Normalised; payload: ParsedPayload; config: IngestConfig }): Promise<string> {
  const { a, payload, config } = args;
  const grouped = config.correlateBy === 'groupKey';
  const labels = grouped ? { ...payload.commonLabels, alertname: payload.commonLabels.alertname ?? a.alert.labels.alertname! } : a.alert.labels;
  const annotations = grouped ? { ...payload.commonAnnotations } : a.alert.annotations;
  const resolved = a.status === 'resolved';
  const row = await trx
    .insertInto('parapet_incident')
    .values({
      state: resolved ? 'resolved' : 'open',
      correlation_key: args.key,
      fingerprint: a.fingerprint,
      group_key: payload.groupKey,
      alertname: labels.alertname ?? a.alert.labels.alertname!,
      severity: labels.severity ?? a.alert.labels.severity ?? null,
      slo: labels.slo ?? a.alert.labels.slo ?? null,
      service: labels.service ?? a.alert.labels.service ?? null,
      labels: JSON.stringify(labels),
      annotations: JSON.stringify(annotations),
      runbook_url: a.alert.annotations.runbook_url ?? a.alert.annotations.runbook ?? null,
      trace_id: a.alert.annotations.trace_id ?? a.alert.labels.trace_id ?? null,
      opened_at: a.startsAt,
      resolved_at: resolved ? a.endsAt : null,
      next_escalation_at: resolved ? null : addMs(config.now(), config.escalateAfterMs),
      escalation_stopped: resolved,
      updated_at: config.now(),
    })
    .returning(sql<string>`id::text`.as('id'))
    .executeTakeFirstOrThrow();
  await upsertAlert(trx, row.id, a);
  await timeline(trx, { incidentId: row.id, type: 'alert_fired', at: a.startsAt, summary: `${a.alert.labels.alertname} fired: ${describe(a.alert)}`, data: { fingerprint: a.fingerprint, labels: a.alert.labels }, dedupeKey: eventKey(a, 'fired') });
  if (resolved) {
    await timeline(trx, { incidentId: row.id, type: 'alert_resolved', at: a.endsAt!, summary: `${a.alert.labels.alertname} resolved`, data: { fingerprint: a.fingerprint }, dedupeKey: eventKey(a, 'resolved') });
  }
  await correlateSystemEvents(trx, { incidentId: row.id, openedAt: a.startsAt, service: labels.service ?? null, slo: labels.slo ?? null, windowMs: config.correlationWindowMs });
  return row.id;
}

/** Copies deploys and flag changes shortly before an incident opened onto its timeline (relevant ones only). */
export async function correlateSystemEvents(trx: Trx, args: { incidentId: string; openedAt: string; service: string | null; slo: string | null; windowMs: number }): Promise<void> {
  const from = addMs(args.openedAt, -args.windowMs);
  const events = await trx
    .selectFrom('parapet_system_event')
    .select([sql<string>`id::text`.as('id'), 'kind', isoUtc('at').as('at'), 'service', 'slo', 'summary', 'data'])
    .where(sql<boolean>`at BETWEEN ${from}::timestamptz AND ${args.openedAt}::timestamptz`)
    .where((eb) =>
      eb.or([
        eb.and([eb('service', 'is', null), eb('slo', 'is', null)]),
        ...(args.service ? [eb('service', '=', args.service)] : []),
        ...(args.slo ? [eb('slo', '=', args.slo)] : []),
      ]),
    )
    .orderBy('parapet_system_event.at')
    .orderBy('parapet_system_event.id')
    .limit(20)
    .execute();
  for (const e of events) {
    await timeline(trx, { incidentId: args.incidentId, type: e.kind, at: e.at, summary: e.summary, data: { systemEventId: e.id, service: e.service, slo: e.slo }, dedupeKey: `event:${e.id}` });
  }
}

async function resolveIfAllResolved(trx: Trx, incident: IncidentState, at: string, config: IngestConfig): Promise<boolean> {
  if (incident.state === 'resolved') return false;
  // Resolves only when none of its alerts is still firing (one statement, under the row lock).
  const resolved = await trx
    .updateTable('parapet_incident')
    .set({
      state: 'resolved',
      resolved_at: sql<string>`greatest(${at}::timestamptz, opened_at)` as never,
      next_escalation_at: null,
      escalation_stopped: true,
      updated_at: config.now(),
      change_seq: sql`nextval('parapet_change_seq')` as never,
    })
    .where(sql<boolean>`id = ${incident.id}::bigint`)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('parapet_incident_alert').select(sql`1`.as('one')).where(sql<boolean>`incident_id = ${incident.id}::bigint`).where('status', '=', 'firing'))),
    )
    .executeTakeFirst();
  return Number(resolved.numUpdatedRows) === 1;
}

async function applyAlert(trx: Trx, args: { key: string; a: Normalised; payload: ParsedPayload; config: IngestConfig }): Promise<{ incidentId: string | null; outcome: AlertOutcome }> {
  const { key, a, config } = args;
  const { incident, stored } = await latestWithAlert(trx, key, a.fingerprint);
  if (!incident) return { incidentId: await openIncident(trx, args), outcome: a.status === 'resolved' ? 'resolved' : 'opened' };
  const name = a.alert.labels.alertname!;

  if (a.status === 'firing') {
    if (stored && a.startsAt < stored.starts_at) return { incidentId: incident.id, outcome: 'stale' };
    if (stored && a.startsAt === stored.starts_at) {
      // The same firing instance again (a repeat or a replay), or an old firing notification
      // arriving after its own resolution: never move state backwards.
      return { incidentId: incident.id, outcome: stored.status === 'firing' ? 'duplicate' : 'stale' };
    }
    if (incident.state !== 'resolved') {
      await upsertAlert(trx, incident.id, a);
      await touch(trx, incident.id, config);
      if (!stored) {
        await timeline(trx, { incidentId: incident.id, type: 'alert_fired', at: a.startsAt, summary: `${name} fired: ${describe(a.alert)}`, data: { fingerprint: a.fingerprint, labels: a.alert.labels }, dedupeKey: eventKey(a, 'fired') });
        return { incidentId: incident.id, outcome: 'added' };
      }
      await timeline(trx, { incidentId: incident.id, type: 'alert_refired', at: a.startsAt, summary: `${name} fired again: ${describe(a.alert)}`, data: { fingerprint: a.fingerprint, previousStartsAt: stored.starts_at }, dedupeKey: eventKey(a, 'refired') });
      return { incidentId: incident.id, outcome: 'refired' };
    }
    // Resolved incident, new firing instance: reopen within the window, else a new incident.
    if (stored?.ends_at && a.startsAt < stored.ends_at) return { incidentId: incident.id, outcome: 'stale' };
    const since = Date.parse(a.startsAt) - Date.parse(incident.resolved_at!);
    if (since > config.reopenWindowMs) return { incidentId: await openIncident(trx, args), outcome: 'opened' };
    await trx
      .updateTable('parapet_incident')
      .set({
        state: 'open',
        resolved_at: null,
        acknowledged_at: null,
        acknowledged_by: null,
        escalation_stopped: false,
        next_escalation_at: addMs(config.now(), config.escalateAfterMs),
        updated_at: config.now(),
        change_seq: sql`nextval('parapet_change_seq')` as never,
      })
      .where(sql<boolean>`id = ${incident.id}::bigint`)
      .execute();
    await upsertAlert(trx, incident.id, a);
    await timeline(trx, { incidentId: incident.id, type: 'alert_refired', at: a.startsAt, summary: `${name} fired again ${Math.round(Math.max(0, since) / 1000)} s after resolution: incident reopened`, data: { fingerprint: a.fingerprint, reopened: true }, dedupeKey: eventKey(a, 'refired') });
    return { incidentId: incident.id, outcome: 'reopened' };
  }

  // Resolved notification.
  if (stored && a.startsAt < stored.starts_at) return { incidentId: incident.id, outcome: 'stale' };
  if (stored && a.startsAt === stored.starts_at && stored.status === 'resolved') return { incidentId: incident.id, outcome: 'duplicate' };
  // The resolution of an alert this incident never saw, from before it opened: an older incident's.
  if (!stored && a.endsAt! < incident.opened_at) return { incidentId: incident.id, outcome: 'stale' };
  if (!stored && incident.state === 'resolved' && a.startsAt > (incident.resolved_at ?? '')) {
    // A new instance that fired and resolved while we never saw it firing: its own incident.
    return { incidentId: await openIncident(trx, args), outcome: 'resolved' };
  }
  await upsertAlert(trx, incident.id, a);
  await timeline(trx, { incidentId: incident.id, type: 'alert_resolved', at: a.endsAt!, summary: `${name} resolved: ${describe(a.alert)}`, data: { fingerprint: a.fingerprint, startsAt: a.startsAt }, dedupeKey: eventKey(a, 'resolved') });
  const resolved = await resolveIfAllResolved(trx, incident, a.endsAt!, config);
  if (!resolved) await touch(trx, incident.id, config);
  return { incidentId: incident.id, outcome: resolved ? 'resolved' : 'unchanged' };
}

async function touch(trx: Trx, incidentId: string, config: IngestConfig): Promise<void> {
  await trx
    .updateTable('parapet_incident')
    .set({ updated_at: config.now(), change_seq: sql`nextval('parapet_change_seq')` as never })
    .where(sql<boolean>`id = ${incidentId}::bigint`)
    .execute();
}
