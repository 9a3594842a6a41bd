import { createHash } from 'node:crypto';
import { sql, type Expression, type QueryCreator, type Transaction } from 'kysely';
import { canonicalTimestamp, type ParsedAlert, type ParsedPayload } from './alertmanager.js';
import { isoUtc } from './rows.js';
import type { EvidenceDatabase } from './schema.js';
import type { AlertOutcome, IngestResult, TimelineType } from './types.js';

type Trx = Transaction<EvidenceDatabase>;
type Db = QueryCreator<EvidenceDatabase>;

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

/** What this delivery knows of one correlation key: its latest incident (row-locked) and that incident's alerts. */
interface KeyState {
  incident?: IncidentState;
  alerts: Map<string, StoredAlert>;
}

interface Normalised {
  alert: ParsedAlert;
  fingerprint: string;
  status: 'firing' | 'resolved';
  startsAt: string;
  endsAt: string | null;
}

interface TimelineEntry {
  type: TimelineType;
  at: string;
  summary: string;
  data?: Record<string, unknown>;
  dedupeKey?: string;
  actor?: string | null;
}

const addMs = (iso: string, ms: number): string => `${new Date(Date.parse(iso) + ms).toISOString().slice(0, 23)}000Z`;
const sha = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 32);
const later = (a: string, b: string): string => (a > b ? a : b); // canonical ISO strings compare in time order

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

/** Timeline rows (deduplicated by key) for one incident, given as a literal id or an expression such as a CTE's. */
function insertTimeline(db: Db, incidentId: string | Expression<string>, entries: readonly TimelineEntry[]) {
  return db
    .insertInto('parapet_timeline')
    .values(
      entries.map((e) => ({
        incident_id: typeof incidentId === 'string' ? incidentId : (incidentId as never),
        type: e.type,
        at: e.at,
        actor: e.actor ?? null,
        summary: e.summary,
        data: JSON.stringify(e.data ?? {}),
        dedupe_key: e.dedupeKey ?? null,
      })),
    )
    .onConflict((oc) => oc.columns(['incident_id', 'dedupe_key']).doNothing());
}

function upsertAlert(db: Db, incidentId: string | Expression<string>, a: Normalised) {
  return db
    .insertInto('parapet_incident_alert')
    .values({
      incident_id: typeof incidentId === 'string' ? incidentId : (incidentId as never),
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
    );
}

/**
 * Copies deploys and flag changes shortly before an incident opened onto its timeline (relevant
 * ones only, at most 20), as one INSERT … SELECT.
 */
function insertSystemEvents(db: Db, args: { incidentId: string | Expression<string>; openedAt: string; service: string | null; slo: string | null; windowMs: number }) {
  const from = addMs(args.openedAt, -args.windowMs);
  const incidentId = typeof args.incidentId === 'string' ? sql`${args.incidentId}::bigint` : args.incidentId;
  const relevant = [sql`(e.service IS NULL AND e.slo IS NULL)`];
  if (args.service) relevant.push(sql`e.service = ${args.service}`);
  if (args.slo) relevant.push(sql`e.slo = ${args.slo}`);
  return db
    .insertInto('parapet_timeline')
    .columns(['incident_id', 'type', 'at', 'actor', 'summary', 'data', 'dedupe_key'])
    .expression(
      sql`SELECT ${incidentId}, e.kind, e.at, NULL, e.summary, jsonb_build_object('systemEventId', e.id::text, 'service', e.service, 'slo', e.slo), 'event:' || e.id
        FROM parapet_system_event e
        WHERE e.at BETWEEN ${from}::timestamptz AND ${args.openedAt}::timestamptz AND (${sql.join(relevant, sql` OR `)})
        ORDER BY e.at, e.id LIMIT 20`,
    )
    .onConflict((oc) => oc.columns(['incident_id', 'dedupe_key']).doNothing());
}

/** Copies deploys and flag changes shortly before an incident opened onto its timeline (relevant ones only). */
export async function correlateSystemEvents(trx: Trx, args: { incidentId: string; openedAt: string; service: string | null; slo: string | null; windowMs: number }): Promise<void> {
  await insertSystemEvents(trx, args).execute();
}

function describe(alert: ParsedAlert): string {
  return alert.annotations.summary ?? alert.labels.alertname ?? alert.fingerprint;
}

/**
 * Records one delivery in the caller's transaction. Serialises per correlation key on a
 * transaction-scoped advisory lock (taken in sorted order, so concurrent deliveries of
 * overlapping groups cannot deadlock), reads every key's latest incident in one round trip, then
 * applies each alert-state event monotonically, one write statement per event.
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
  const states = await readStates(trx, keys, alerts.map((a) => a.fingerprint));
  for (const key of keys) {
    const list = byKey.get(key)!.sort((x, y) => (x.startsAt < y.startsAt ? -1 : x.startsAt > y.startsAt ? 1 : x.fingerprint < y.fingerprint ? -1 : 1));
    for (const a of list) {
      const { incidentId, outcome } = await applyAlert(trx, { key, state: states.get(key)!, a, payload, config });
      result.alerts.push({ fingerprint: a.fingerprint, incidentId, outcome });
      if (incidentId) touched.add(incidentId);
    }
  }
  if (payload.truncatedAlerts > 0) {
    const dedupeKey = `truncated:${sha(JSON.stringify(payload))}`;
    for (const incidentId of touched) {
      await insertTimeline(trx, incidentId, [
        {
          type: 'truncated_alerts',
          at: config.now(),
          summary: `Alertmanager dropped ${payload.truncatedAlerts} alert(s) of this group (max_alerts); alerts missing from the payload are not resolved.`,
          data: { truncatedAlerts: payload.truncatedAlerts, groupKey: payload.groupKey },
          dedupeKey,
        },
      ]).execute();
    }
  }
  result.incidentIds = [...touched].sort((x, y) => Number(x) - Number(y));
  return result;
}

/**
 * Every key's latest incident (row-locked) with its stored state of this delivery's alerts, in
 * one round trip. Under the keys' advisory locks nothing else changes them, so the delivery then
 * keeps this state current itself as it writes.
 */
async function readStates(trx: Trx, keys: readonly string[], fingerprints: readonly string[]): Promise<Map<string, KeyState>> {
  const states = new Map<string, KeyState>(keys.map((k) => [k, { alerts: new Map() }]));
  if (keys.length === 0) return states;
  const { rows } = await sql<{
    key: string;
    id: string;
    state: IncidentState['state'];
    opened_at: string;
    resolved_at: string | null;
    fingerprint: string | null;
    status: StoredAlert['status'] | null;
    starts_at: string | null;
    ends_at: string | null;
  }>`SELECT k.key, i.id::text AS id, i.state, ${isoUtc('i.opened_at')} AS opened_at, ${isoUtc('i.resolved_at')} AS resolved_at,
        a.fingerprint, a.status, ${isoUtc('a.starts_at')} AS starts_at, ${isoUtc('a.ends_at')} AS ends_at
      FROM unnest(${sql.val(keys)}::text[]) AS k(key)
      CROSS JOIN LATERAL (
        SELECT id, state, opened_at, resolved_at FROM parapet_incident
        WHERE correlation_key = k.key ORDER BY opened_at DESC, id DESC LIMIT 1 FOR UPDATE
      ) AS i
      LEFT JOIN parapet_incident_alert a ON a.incident_id = i.id AND a.fingerprint = ANY(${sql.val(fingerprints)}::text[])`.execute(trx);
  for (const row of rows) {
    const state = states.get(row.key)!;
    state.incident = { id: row.id, state: row.state, opened_at: row.opened_at, resolved_at: row.resolved_at };
    if (row.fingerprint && row.status) state.alerts.set(row.fingerprint, { status: row.status, starts_at: row.starts_at!, ends_at: row.ends_at });
  }
  return states;
}

const eventKey = (a: Normalised, type: string) => `am:${type}:${a.fingerprint}:${a.startsAt}:${a.endsAt ?? ''}`;

const stored = (a: Normalised): StoredAlert => ({ status: a.status, starts_at: a.startsAt, ends_at: a.endsAt });

/** Opens an incident with its first alert, timeline entries and correlated system events: one statement. */
async function openIncident(trx: Trx, args: { key: string; state: KeyState; a: Normalised; payload: ParsedPayload; config: IngestConfig }): Promise<string> {
  const { a, payload, config } = args;
  const grouped = config.correlateBy === 'groupKey';
  const labels = grouped ? { ...payload.commonLabels, alertname: payload.commonLabels.alertname ?? a.alert.labels.alertname! } : a.alert.labels;
  const annotations = grouped ? { ...payload.commonAnnotations } : a.alert.annotations;
  const resolved = a.status === 'resolved';
  const entries: TimelineEntry[] = [
    { type: 'alert_fired', at: a.startsAt, summary: `${a.alert.labels.alertname} fired: ${describe(a.alert)}`, data: { fingerprint: a.fingerprint, labels: a.alert.labels }, dedupeKey: eventKey(a, 'fired') },
  ];
  if (resolved) entries.push({ type: 'alert_resolved', at: a.endsAt!, summary: `${a.alert.labels.alertname} resolved`, data: { fingerprint: a.fingerprint }, dedupeKey: eventKey(a, 'resolved') });
  const opened = sql<string>`(SELECT id FROM opened)`;
  const row = await trx
    .with('opened', (db) =>
      db
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
        .returning('id'),
    )
    .with('alert', (db) => upsertAlert(db, opened, a))
    .with('entries', (db) => insertTimeline(db, opened, entries))
    .with('events', (db) => insertSystemEvents(db, { incidentId: opened, openedAt: a.startsAt, service: labels.service ?? null, slo: labels.slo ?? null, windowMs: config.correlationWindowMs }))
    .selectFrom('opened')
    .select(sql<string>`id::text`.as('id'))
    .executeTakeFirstOrThrow();
  args.state.incident = { id: row.id, state: resolved ? 'resolved' : 'open', opened_at: a.startsAt, resolved_at: resolved ? a.endsAt : null };
  args.state.alerts = new Map([[a.fingerprint, stored(a)]]);
  return row.id;
}

/** Stores a firing alert on an incident that stays open, with its timeline entry: one statement. */
async function addFiring(trx: Trx, state: KeyState, a: Normalised, entry: TimelineEntry, config: IngestConfig): Promise<void> {
  const id = state.incident!.id;
  await trx
    .with('alert', (db) => upsertAlert(db, id, a))
    .with('entry', (db) => insertTimeline(db, id, [entry]))
    .updateTable('parapet_incident')
    .set({ updated_at: config.now(), change_seq: sql`nextval('parapet_change_seq')` as never })
    .where(sql<boolean>`id = ${id}::bigint`)
    .execute();
  state.alerts.set(a.fingerprint, stored(a));
}

async function applyAlert(trx: Trx, args: { key: string; state: KeyState; a: Normalised; payload: ParsedPayload; config: IngestConfig }): Promise<{ incidentId: string | null; outcome: AlertOutcome }> {
  const { state, a, config } = args;
  const incident = state.incident;
  if (!incident) return { incidentId: await openIncident(trx, args), outcome: a.status === 'resolved' ? 'resolved' : 'opened' };
  const previous = state.alerts.get(a.fingerprint);
  const name = a.alert.labels.alertname!;

  if (a.status === 'firing') {
    if (previous && a.startsAt < previous.starts_at) return { incidentId: incident.id, outcome: 'stale' };
    if (previous && a.startsAt === previous.starts_at) {
      // The same firing instance again (a repeat or a replay), or an old firing notification
      // arriving after its own resolution: never move state backwards.
      return { incidentId: incident.id, outcome: previous.status === 'firing' ? 'duplicate' : 'stale' };
    }
    if (incident.state !== 'resolved') {
      if (!previous) {
        await addFiring(trx, state, a, { type: 'alert_fired', at: a.startsAt, summary: `${name} fired: ${describe(a.alert)}`, data: { fingerprint: a.fingerprint, labels: a.alert.labels }, dedupeKey: eventKey(a, 'fired') }, config);
        return { incidentId: incident.id, outcome: 'added' };
      }
      await addFiring(trx, state, a, { type: 'alert_refired', at: a.startsAt, summary: `${name} fired again: ${describe(a.alert)}`, data: { fingerprint: a.fingerprint, previousStartsAt: previous.starts_at }, dedupeKey: eventKey(a, 'refired') }, config);
      return { incidentId: incident.id, outcome: 'refired' };
    }
    // Resolved incident, new firing instance: reopen within the window, else a new incident.
    if (previous?.ends_at && a.startsAt < previous.ends_at) return { incidentId: incident.id, outcome: 'stale' };
    const since = Date.parse(a.startsAt) - Date.parse(incident.resolved_at!);
    if (since > config.reopenWindowMs) return { incidentId: await openIncident(trx, args), outcome: 'opened' };
    const entry: TimelineEntry = { type: 'alert_refired', at: a.startsAt, summary: `${name} fired again ${Math.round(Math.max(0, since) / 1000)} s after resolution: incident reopened`, data: { fingerprint: a.fingerprint, reopened: true }, dedupeKey: eventKey(a, 'refired') };
    await trx
      .with('alert', (db) => upsertAlert(db, incident.id, a))
      .with('entry', (db) => insertTimeline(db, incident.id, [entry]))
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
    state.incident = { ...incident, state: 'open', resolved_at: null };
    state.alerts.set(a.fingerprint, stored(a));
    return { incidentId: incident.id, outcome: 'reopened' };
  }

  // Resolved notification.
  if (previous && a.startsAt < previous.starts_at) return { incidentId: incident.id, outcome: 'stale' };
  if (previous && a.startsAt === previous.starts_at && previous.status === 'resolved') return { incidentId: incident.id, outcome: 'duplicate' };
  // The resolution of an alert this incident never saw, from before it opened: an older incident's.
  if (!previous && a.endsAt! < incident.opened_at) return { incidentId: incident.id, outcome: 'stale' };
  if (!previous && incident.state === 'resolved' && a.startsAt > (incident.resolved_at ?? '')) {
    // A new instance that fired and resolved while we never saw it firing: its own incident.
    return { incidentId: await openIncident(trx, args), outcome: 'resolved' };
  }
  const resolved = await resolveAlert(trx, incident, a, { type: 'alert_resolved', at: a.endsAt!, summary: `${name} resolved: ${describe(a.alert)}`, data: { fingerprint: a.fingerprint, startsAt: a.startsAt }, dedupeKey: eventKey(a, 'resolved') }, config);
  if (resolved) state.incident = { ...incident, state: 'resolved', resolved_at: later(a.endsAt!, incident.opened_at) };
  state.alerts.set(a.fingerprint, stored(a));
  return { incidentId: incident.id, outcome: resolved ? 'resolved' : 'unchanged' };
}

/**
 * Stores an alert's resolution with its timeline entry and resolves the incident when none of its
 * other alerts is still firing — one statement, under the row lock. Every sub-statement sees the
 * same snapshot, so "all resolved" is asked of the incident's *other* alerts.
 */
async function resolveAlert(trx: Trx, incident: IncidentState, a: Normalised, entry: TimelineEntry, config: IngestConfig): Promise<boolean> {
  const id = incident.id;
  const row = await trx
    .with('alert', (db) => upsertAlert(db, id, a))
    .with('entry', (db) => insertTimeline(db, id, [entry]))
    .with('decision', (db) =>
      db
        .selectFrom('parapet_incident as i')
        .select(
          sql<boolean>`i.state <> 'resolved' AND NOT EXISTS (SELECT 1 FROM parapet_incident_alert f WHERE f.incident_id = i.id AND f.status = 'firing' AND f.fingerprint <> ${a.fingerprint})`.as('resolve'),
        )
        .where(sql<boolean>`i.id = ${id}::bigint`),
    )
    .updateTable('parapet_incident')
    .from('decision')
    .set({
      state: sql`CASE WHEN decision.resolve THEN 'resolved' ELSE parapet_incident.state END` as never,
      resolved_at: sql`CASE WHEN decision.resolve THEN greatest(${a.endsAt}::timestamptz, parapet_incident.opened_at) ELSE parapet_incident.resolved_at END` as never,
      next_escalation_at: sql`CASE WHEN decision.resolve THEN NULL ELSE parapet_incident.next_escalation_at END` as never,
      escalation_stopped: sql`decision.resolve OR parapet_incident.escalation_stopped` as never,
      updated_at: config.now(),
      change_seq: sql`nextval('parapet_change_seq')` as never,
    })
    .where(sql<boolean>`parapet_incident.id = ${id}::bigint`)
    .returning(sql<boolean>`decision.resolve`.as('resolve'))
    .executeTakeFirstOrThrow();
  return row.resolve;
}
