import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { isParapetError } from '@parapet/core/integration';
import type { EvidenceStoreOptions } from '../src/index.js';
import { payload, responder } from './fixtures.js';
import type { OpenedStore, Target } from './targets.js';

/** A controllable clock: tests never depend on wall time. */
export function testClock(start = '2026-08-20T10:00:00.000Z') {
  let t = Date.parse(start);
  return { now: () => new Date(t), set: (iso: string) => (t = Date.parse(iso)), advance: (ms: number) => (t += ms) };
}

async function rejection(promise: Promise<unknown>): Promise<{ code: string; status: number; message: string; details: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    if (isParapetError(error)) return { code: error.code, status: error.status, message: error.message, details: error.details };
    throw error;
  }
  throw new Error('expected a rejection');
}

/**
 * The one conformance suite every database target runs (PGlite, PostgreSQL, PostgreSQL behind
 * PgBouncer in transaction pooling mode). Capability suites: migrations, ingest, operator actions,
 * pagination, retention, concurrency (targets with several connections).
 */
export function describeEvidenceStore(target: Target): void {
  const opened: OpenedStore[] = [];
  afterEach(async () => {
    for (const o of opened.splice(0)) await o.close();
  });
  const open = async (options: Omit<EvidenceStoreOptions, 'database' | 'migrationDatabase'> = {}) => {
    const o = await target.open(options);
    opened.push(o);
    return o;
  };

  describe(`evidence store on ${target.name}: migrations`, () => {
    it('migrates up from empty into its own migration table, and a second run is a no-op', async () => {
      const { store } = await open();
      expect(store.migrations.results.map((r) => [r.migrationName, r.status])).toEqual([['evidence/0001_spine', 'Success']]);
      const rows = await sql<{ name: string }>`SELECT name FROM parapet_migration ORDER BY name`.execute(store.db);
      expect(rows.rows.map((r) => r.name)).toEqual(['evidence/0001_spine']);
      const lock = await sql<{ n: number }>`SELECT count(*)::int AS n FROM parapet_migration_lock`.execute(store.db);
      expect(lock.rows[0]!.n).toBe(1);
      const { migrateEvidence } = await import('../src/index.js');
      const again = await migrateEvidence({ db: store.db });
      expect(again).toEqual({ results: [] });
    });

    it('runs an extension\'s migrations through the same provider, and its tables join store transactions', async () => {
      const { store } = await open({
        extensions: [
          {
            name: 'response',
            migrations: {
              '0001_outbox': {
                up: async (db) => {
                  await db.schema.createTable('parapet_response_outbox').addColumn('id', 'serial', (c) => c.primaryKey()).addColumn('incident_id', 'bigint', (c) => c.notNull().references('parapet_incident.id')).execute();
                },
              },
            },
          },
        ],
      });
      expect(store.migrations.results.map((r) => r.migrationName)).toEqual(['evidence/0001_spine', 'response/0001_outbox']);
      const result = await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: 'aaaa000000000001', startsAt: '2026-08-20T09:14:03.512Z' }] }) });
      const id = result.incidentIds[0]!;
      // Outbox row and incident change commit together, or neither does.
      await expect(
        store.transaction(async (trx) => {
          await sql`INSERT INTO parapet_response_outbox (incident_id) VALUES (${id}::bigint)`.execute(trx);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM parapet_response_outbox`.execute(store.db);
      expect(count.rows[0]!.n).toBe(0);
    });
  });

  describe(`evidence store on ${target.name}: Alertmanager ingest`, () => {
    it('opens one incident per alert with the alert\'s facts and microsecond-exact times', async () => {
      const { store } = await open();
      const result = await store.ingestAlertmanager({
        payload: payload({ alerts: [{ fingerprint: '5f3b2a9c1d4e6f70', startsAt: '2026-08-20T09:14:03.512345678Z' }, { fingerprint: 'a01c77e2b9d34f15', startsAt: '2026-08-20T09:14:33.5Z' }] }),
      });
      expect(result.alerts.map((a) => a.outcome)).toEqual(['opened', 'opened']);
      const page = await store.listIncidents();
      expect(page.items).toHaveLength(2);
      const first = page.items.find((i) => i.fingerprint === '5f3b2a9c1d4e6f70')!;
      expect(first).toMatchObject({
        state: 'open',
        alertname: 'HighErrorRate',
        severity: 'critical',
        slo: 'checkout-availability',
        runbookUrl: 'https://runbooks.example.com/checkout/high-error-rate',
        openedAt: '2026-08-20T09:14:03.512345Z',
        resolvedAt: null,
      });
      const detail = await store.getIncident({ id: first.id });
      expect(detail!.timeline.map((t) => t.type)).toEqual(['alert_fired']);
    });

    it('replaying the same payload any number of times leaves identical state', async () => {
      const clock = testClock();
      const { store } = await open({ now: clock.now });
      const p = payload({ truncatedAlerts: 2, alerts: [{ fingerprint: 'b000000000000001', startsAt: '2026-08-20T09:00:00Z' }, { fingerprint: 'b000000000000002', startsAt: '2026-08-20T09:01:00Z' }] });
      await store.ingestAlertmanager({ payload: p });
      const snapshot = async () => {
        const page = await store.listIncidents({ state: 'all' });
        return { page, details: await Promise.all(page.items.map((i) => store.getIncident({ id: i.id }))), token: await store.changeToken() };
      };
      const before = await snapshot();
      for (let i = 0; i < 5; i++) {
        clock.advance(60_000);
        const again = await store.ingestAlertmanager({ payload: p });
        expect(again.alerts.map((a) => a.outcome)).toEqual(['duplicate', 'duplicate']);
      }
      expect(await snapshot()).toEqual(before);
      expect(before.details[0]!.timeline.filter((t) => t.type === 'truncated_alerts')).toHaveLength(1);
    });

    it('an alert missing from a later payload is not resolved', async () => {
      const { store } = await open();
      await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: 'c000000000000001', startsAt: '2026-08-20T09:00:00Z' }, { fingerprint: 'c000000000000002', startsAt: '2026-08-20T09:00:00Z' }] }) });
      await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: 'c000000000000001', startsAt: '2026-08-20T09:00:00Z', status: 'resolved', endsAt: '2026-08-20T09:30:00Z' }] }) });
      const all = await store.listIncidents({ state: 'all' });
      const states = Object.fromEntries(all.items.map((i) => [i.fingerprint, i.state]));
      expect(states).toEqual({ c000000000000001: 'resolved', c000000000000002: 'open' });
    });

    it('acknowledged incidents are still matched by later notifications and resolved by them', async () => {
      const { store } = await open();
      const fired = await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: 'd000000000000001', startsAt: '2026-08-20T09:00:00Z' }] }) });
      const id = fired.incidentIds[0]!;
      await store.act({ incidentId: id, action: 'acknowledge', actor: responder, rationale: 'looking at it' });
      const repeat = await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: 'd000000000000001', startsAt: '2026-08-20T09:00:00Z' }] }) });
      expect(repeat.incidentIds).toEqual([id]);
      expect((await store.listIncidents({ state: 'all' })).items).toHaveLength(1);
      const resolved = await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: 'd000000000000001', startsAt: '2026-08-20T09:00:00Z', status: 'resolved', endsAt: '2026-08-20T09:41:18.512Z' }] }) });
      expect(resolved.alerts[0]).toEqual({ fingerprint: 'd000000000000001', incidentId: id, outcome: 'resolved' });
      const detail = await store.getIncident({ id });
      expect(detail!.incident).toMatchObject({ state: 'resolved', resolvedAt: '2026-08-20T09:41:18.512000Z', acknowledgedBy: responder.id });
    });

    it('stale and out-of-order notifications never move state backwards', async () => {
      const { store } = await open();
      const fp = 'e000000000000001';
      // Resolution arrives first, then the (older) firing notification of the same instance.
      await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: fp, startsAt: '2026-08-20T09:00:00Z', status: 'resolved', endsAt: '2026-08-20T09:20:00Z' }] }) });
      const late = await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: fp, startsAt: '2026-08-20T09:00:00Z' }] }) });
      expect(late.alerts[0]!.outcome).toBe('stale');
      const items = (await store.listIncidents({ state: 'all' })).items;
      expect(items.map((i) => i.state)).toEqual(['resolved']);
      // A firing notification with an older startsAt than the stored one is stale too.
      const older = await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: fp, startsAt: '2026-08-20T08:00:00Z' }] }) });
      expect(older.alerts[0]!.outcome).toBe('stale');
      expect((await store.listIncidents({ state: 'all' })).items.map((i) => i.state)).toEqual(['resolved']);
    });

    it('a re-fire within the window reopens with a timeline entry; after the window it opens a new incident', async () => {
      const { store } = await open({ reopenWindowMs: 30 * 60_000 });
      const fp = 'f000000000000001';
      const first = await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: fp, startsAt: '2026-08-20T09:00:00Z' }] }) });
      await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: fp, startsAt: '2026-08-20T09:00:00Z', status: 'resolved', endsAt: '2026-08-20T09:10:00Z' }] }) });
      const refire = await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: fp, startsAt: '2026-08-20T09:20:00Z' }] }) });
      expect(refire.alerts[0]).toMatchObject({ incidentId: first.incidentIds[0], outcome: 'reopened' });
      const detail = await store.getIncident({ id: first.incidentIds[0]! });
      expect(detail!.incident.state).toBe('open');
      expect(detail!.timeline.map((t) => t.type)).toEqual(['alert_fired', 'alert_resolved', 'alert_refired']);
      await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: fp, startsAt: '2026-08-20T09:20:00Z', status: 'resolved', endsAt: '2026-08-20T09:25:00Z' }] }) });
      const later = await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: fp, startsAt: '2026-08-20T11:00:00Z' }] }) });
      expect(later.alerts[0]!.outcome).toBe('opened');
      expect(later.incidentIds[0]).not.toBe(first.incidentIds[0]);
    });

    it('correlates by Alertmanager group when asked, listing the group\'s alerts on one incident', async () => {
      const { store } = await open({ correlateBy: 'groupKey' });
      const a = { fingerprint: 'g000000000000001', startsAt: '2026-08-20T09:00:00Z' };
      const b = { fingerprint: 'g000000000000002', startsAt: '2026-08-20T09:00:30Z' };
      const r1 = await store.ingestAlertmanager({ payload: payload({ alerts: [a, b] }) });
      expect(r1.incidentIds).toHaveLength(1);
      await store.ingestAlertmanager({ payload: payload({ alerts: [{ ...a, status: 'resolved', endsAt: '2026-08-20T09:30:00Z' }, b] }) });
      let detail = await store.getIncident({ id: r1.incidentIds[0]! });
      expect(detail!.incident.state).toBe('open');
      expect(detail!.incident.alerts.map((x) => [x.fingerprint, x.status])).toEqual([['g000000000000001', 'resolved'], ['g000000000000002', 'firing']]);
      await store.ingestAlertmanager({ payload: payload({ alerts: [{ ...b, status: 'resolved', endsAt: '2026-08-20T09:31:00Z' }] }) });
      detail = await store.getIncident({ id: r1.incidentIds[0]! });
      expect(detail!.incident).toMatchObject({ state: 'resolved', resolvedAt: '2026-08-20T09:31:00.000000Z' });
    });

    it('in group correlation, a late resolution of an older incident\'s alert never lands on the newer incident', async () => {
      const { store } = await open({ correlateBy: 'groupKey', reopenWindowMs: 60_000 });
      const x = { fingerprint: 'gx00000000000001', startsAt: '2026-08-20T09:00:00Z' };
      const first = await store.ingestAlertmanager({ payload: payload({ alerts: [x] }) });
      await store.ingestAlertmanager({ payload: payload({ alerts: [{ ...x, status: 'resolved', endsAt: '2026-08-20T09:10:00Z' }] }) });
      const second = await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: 'gy00000000000001', startsAt: '2026-08-20T11:00:00Z' }] }) });
      expect(second.incidentIds[0]).not.toBe(first.incidentIds[0]);
      const late = await store.ingestAlertmanager({ payload: payload({ alerts: [{ ...x, status: 'resolved', endsAt: '2026-08-20T09:09:00Z' }] }) });
      expect(late.alerts[0]).toMatchObject({ outcome: 'stale' });
      const newer = await store.getIncident({ id: second.incidentIds[0]! });
      expect(newer!.incident.alerts.map((a) => a.fingerprint)).toEqual(['gy00000000000001']);
      expect(newer!.incident.state).toBe('open');
    });

    it('answers INVALID_REQUEST naming the bad field, and accepts unknown fields', async () => {
      const { store } = await open();
      const bad = payload({ alerts: [{ fingerprint: 'h000000000000001', startsAt: 'yesterday' }] });
      const error = await rejection(store.ingestAlertmanager({ payload: bad }));
      expect(error.status).toBe(400);
      expect(error.message).toContain('alerts.0.startsAt');
      const extra = { ...payload({ alerts: [{ fingerprint: 'h000000000000002', startsAt: '2026-08-20T09:00:00Z' }] }), someFutureField: { x: 1 } };
      expect((await store.ingestAlertmanager({ payload: extra as never })).alerts[0]!.outcome).toBe('opened');
    });
  });

  describe(`evidence store on ${target.name}: operator actions`, () => {
    async function incident(store: OpenedStore['store'], fp = 'i000000000000001') {
      return (await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: fp, startsAt: '2026-08-20T09:00:00Z' }] }) })).incidentIds[0]!;
    }

    it('follows the state machine; every other transition is a 409; every action is audited with actor and rationale', async () => {
      const clock = testClock();
      const { store } = await open({ now: clock.now });
      const id = await incident(store);
      const act = (action: Parameters<typeof store.act>[0]['action'], extra: object = {}) => store.act({ incidentId: id, action, actor: responder, rationale: `because ${action}`, ...extra });
      expect((await rejection(act('reopen'))).status).toBe(409);
      const acked = await act('acknowledge');
      expect(acked.incident).toMatchObject({ state: 'investigating', acknowledgedBy: responder.id, acknowledgedAt: '2026-08-20T10:00:00.000000Z', escalation: { stopped: true, nextAt: null } });
      const again = await rejection(act('acknowledge'));
      expect(again).toMatchObject({ code: 'CONFLICT', status: 409, details: { state: 'investigating' } });
      expect((await act('assign', { assignee: 'u-bob' })).incident.assignee).toBe('u-bob');
      expect((await act('escalate')).incident.escalation.step).toBe(1);
      expect((await act('suppress-escalation', { until: '2026-08-20T12:00:00Z' })).incident.escalation.suppressedUntil).toBe('2026-08-20T12:00:00.000000Z');
      await act('note');
      expect((await act('resolve')).incident.state).toBe('resolved');
      expect((await rejection(act('resolve'))).status).toBe(409);
      expect((await rejection(act('escalate'))).status).toBe(409);
      expect((await act('reopen')).incident).toMatchObject({ state: 'open', resolvedAt: null });
      const detail = await store.getIncident({ id });
      const audits = detail!.audits.map((a) => [a.action, a.outcome]);
      expect(audits).toEqual([
        ['reopen', 'rejected'],
        ['acknowledge', 'succeeded'],
        ['acknowledge', 'rejected'],
        ['assign', 'succeeded'],
        ['escalate', 'succeeded'],
        ['suppress-escalation', 'succeeded'],
        ['note', 'succeeded'],
        ['resolve', 'succeeded'],
        ['resolve', 'rejected'],
        ['escalate', 'rejected'],
        ['reopen', 'succeeded'],
      ]);
      for (const a of detail!.audits) expect(a).toMatchObject({ actor: { id: responder.id, name: 'Ada', role: 'responder' }, rationale: `because ${a.action}` });
      // Every successful mutation left a timeline entry written by its actor.
      expect(detail!.timeline.filter((t) => t.actor === responder.id)).toHaveLength(7);
    });

    it('requires a non-empty rationale, and the database refuses an empty one too', async () => {
      const { store } = await open();
      const id = await incident(store);
      expect((await rejection(store.act({ incidentId: id, action: 'note', actor: responder, rationale: '  ' }))).status).toBe(400);
      await expect(
        sql`INSERT INTO parapet_audit (incident_id, actor_id, actor_name, actor_role, action, rationale, outcome, at) VALUES (${id}::bigint, 'x', 'x', 'responder', 'note', ' ', 'succeeded', now())`.execute(store.db),
      ).rejects.toThrow(/check/i);
    });

    it('a viewer may not act', async () => {
      const { store } = await open();
      const id = await incident(store);
      expect((await rejection(store.act({ incidentId: id, action: 'acknowledge', actor: { id: 'v', name: 'V', role: 'viewer' }, rationale: 'x' }))).status).toBe(403);
    });

    it('an Idempotency-Key returns the first result with no second effect; a different body is a 422', async () => {
      const clock = testClock();
      const { store } = await open({ now: clock.now });
      const id = await incident(store);
      const args = { incidentId: id, action: 'escalate' as const, actor: responder, rationale: 'page the DB team', idempotencyKey: 'key-1' };
      const first = await store.act(args);
      clock.advance(1000);
      const second = await store.act(args);
      expect(second.replayed).toBe(true);
      expect(second.incident).toEqual(first.incident);
      expect(second.incident.escalation.step).toBe(1);
      expect((await rejection(store.act({ ...args, rationale: 'something else' }))).status).toBe(422);
      // Scoped to the actor: another responder's same key is a new request.
      const other = await store.act({ ...args, actor: { id: 'u-bob', name: 'Bob', role: 'responder' } });
      expect(other.incident.escalation.step).toBe(2);
      const detail = await store.getIncident({ id });
      expect(detail!.audits.filter((a) => a.action === 'escalate')).toHaveLength(2);
    });

    it('action items are audited and idempotent per title; system entries (triage, notifications) join the timeline', async () => {
      const { store } = await open();
      const id = await incident(store);
      const item = await store.addActionItem({ incidentId: id, title: 'Add an index on orders.created_at', target: 'https://tickets.example.com/DB-12', actor: responder, rationale: 'slow query behind the incident' });
      const again = await store.addActionItem({ incidentId: id, title: 'Add an index on orders.created_at', actor: responder, rationale: 'retry' });
      expect(again).toEqual(item);
      await store.recordTimelineEntry({ incidentId: id, type: 'triage_snapshot', summary: 'p99 up 4x since deploy v42', dedupeKey: 'triage:1' });
      await store.recordTimelineEntry({ incidentId: id, type: 'triage_snapshot', summary: 'p99 up 4x since deploy v42', dedupeKey: 'triage:1' });
      await store.recordTimelineEntry({ incidentId: id, type: 'notification', summary: 'Posted to #incidents' });
      const detail = await store.getIncident({ id });
      expect(detail!.actionItems).toEqual([item]);
      expect(detail!.audits.map((a) => a.action)).toEqual(['add-action-item']);
      expect(detail!.incident.triageSummary).toBe('p99 up 4x since deploy v42');
      expect(detail!.timeline.map((t) => t.type)).toEqual(['alert_fired', 'operator_action', 'triage_snapshot', 'notification']);
    });

    it('timeline entries and audits are append-only in the database', async () => {
      const { store } = await open();
      const id = await incident(store);
      await store.act({ incidentId: id, action: 'note', actor: responder, rationale: 'first note' });
      await expect(sql`UPDATE parapet_timeline SET summary = 'rewritten'`.execute(store.db)).rejects.toThrow(/append-only/);
      await expect(sql`DELETE FROM parapet_timeline`.execute(store.db)).rejects.toThrow(/append-only/);
      await expect(sql`UPDATE parapet_audit SET rationale = 'rewritten'`.execute(store.db)).rejects.toThrow(/append-only/);
      await expect(sql`DELETE FROM parapet_audit`.execute(store.db)).rejects.toThrow(/append-only/);
    });
  });

  describe(`evidence store on ${target.name}: queue`, () => {
    it('keyset pages neither skip nor repeat rows, with microsecond ties and rows added between pages', async () => {
      const { store } = await open();
      const alerts = Array.from({ length: 23 }, (_, i) => ({ fingerprint: `p${String(i).padStart(15, '0')}`, startsAt: i % 3 === 0 ? '2026-08-20T09:00:00.000001Z' : `2026-08-20T09:00:00.${String(i).padStart(6, '0')}Z` }));
      await store.ingestAlertmanager({ payload: payload({ alerts }) });
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.listIncidents({ limit: 5, cursor });
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor ?? undefined;
        if (pages++ === 1) await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: 'pnew000000000000', startsAt: '2026-08-20T10:00:00Z' }] }) });
      } while (cursor);
      expect(seen).toHaveLength(23);
      expect(new Set(seen).size).toBe(23);
      const all = await store.listIncidents({ limit: 200 });
      expect(all.items.slice(1).map((i) => i.id)).toEqual(seen);
      const keys = all.items.map((i) => [i.openedAt, Number(i.id)] as const);
      for (let i = 1; i < keys.length; i++) expect(keys[i - 1]! > keys[i]! || (keys[i - 1]![0] === keys[i]![0] && keys[i - 1]![1] > keys[i]![1])).toBe(true);
    });

    it('filters by state, severity and slo; the change token moves on every change and only then', async () => {
      const { store } = await open();
      await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: 'q000000000000001', startsAt: '2026-08-20T09:00:00Z' }, { fingerprint: 'q000000000000002', startsAt: '2026-08-20T09:00:00Z', labels: { severity: 'warning', slo: 'search-latency' } }] }) });
      expect((await store.listIncidents({ severity: 'warning' })).items.map((i) => i.fingerprint)).toEqual(['q000000000000002']);
      expect((await store.listIncidents({ slo: 'checkout-availability' })).items.map((i) => i.fingerprint)).toEqual(['q000000000000001']);
      const token = await store.changeToken();
      expect(await store.changeToken()).toBe(token);
      const id = (await store.listIncidents({ severity: 'warning' })).items[0]!.id;
      await store.act({ incidentId: id, action: 'resolve', actor: responder, rationale: 'fixed' });
      expect(await store.changeToken()).not.toBe(token);
      expect((await store.listIncidents()).items).toHaveLength(1);
      expect((await store.listIncidents({ state: 'resolved' })).items.map((i) => i.id)).toEqual([id]);
    });
  });

  describe(`evidence store on ${target.name}: claims`, () => {
    it('a claim is held once until its lease expires; a completed claim is never handed out again', async () => {
      const clock = testClock();
      const { store } = await open({ now: clock.now });
      expect(await store.claim({ key: 'escalate:1:step1', owner: 'p1', leaseMs: 30_000 })).toBe(true);
      expect(await store.claim({ key: 'escalate:1:step1', owner: 'p2', leaseMs: 30_000 })).toBe(false);
      clock.advance(31_000);
      expect(await store.claim({ key: 'escalate:1:step1', owner: 'p2', leaseMs: 30_000 })).toBe(true);
      expect(await store.completeClaim({ key: 'escalate:1:step1', owner: 'p1' })).toBe(false);
      expect(await store.completeClaim({ key: 'escalate:1:step1', owner: 'p2' })).toBe(true);
      clock.advance(3_600_000);
      expect(await store.claim({ key: 'escalate:1:step1', owner: 'p3', leaseMs: 30_000 })).toBe(false);
    });
  });

  describe(`evidence store on ${target.name}: deploys, health, retrospective, retention`, () => {
    it('correlates relevant deploys and flag changes onto incidents that open shortly after', async () => {
      const { store } = await open();
      await store.recordDeploy({ version: 'v42', service: 'checkout', at: '2026-08-20T08:50:00Z' });
      await store.recordDeploy({ version: 'v7', service: 'search', at: '2026-08-20T08:55:00Z' });
      await store.recordDeploy({ version: 'v41', service: 'checkout', at: '2026-08-20T06:00:00Z' });
      await store.recordFlagChange({ flag: 'new-cart', to: true, slo: 'checkout-availability', at: '2026-08-20T08:58:00Z' });
      const r = await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: 'r000000000000001', startsAt: '2026-08-20T09:00:00Z' }] }) });
      const detail = await store.getIncident({ id: r.incidentIds[0]! });
      expect(detail!.timeline.map((t) => [t.type, t.summary])).toEqual([
        ['deploy', 'Deployed checkout v42'],
        ['flag_change', 'Flag new-cart changed to true'],
        ['alert_fired', 'HighErrorRate fired: checkout errors on r000000000000001'],
      ]);
      // Recording the same marker again is idempotent.
      await store.recordDeploy({ version: 'v42', service: 'checkout', at: '2026-08-20T08:50:00Z' });
      expect((await store.getIncident({ id: r.incidentIds[0]! }))!.timeline).toHaveLength(3);
    });

    it('reports a missing watchdog heartbeat as a broken alert path, and ok once it arrives', async () => {
      const clock = testClock();
      const { store } = await open({ now: clock.now, heartbeatMaxAgeMs: 600_000 });
      expect(await store.health()).toMatchObject({ heartbeat: 'missing', lastHeartbeatAt: null });
      expect((await store.health()).message).toContain('alert path is broken');
      const r = await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: 'w000000000000001', startsAt: '2026-08-20T09:00:00Z', labels: { alertname: 'ParapetWatchdog', severity: 'none' } }] }) });
      expect(r).toMatchObject({ heartbeat: true, incidentIds: [] });
      expect(await store.health()).toMatchObject({ heartbeat: 'ok', lastHeartbeatAt: '2026-08-20T10:00:00.000000Z', incidentsByState: { open: 0, investigating: 0, resolved: 0 } });
      clock.advance(601_000);
      expect((await store.health()).heartbeat).toBe('stale');
    });

    it('writes a retrospective from durable facts', async () => {
      const clock = testClock();
      const { store } = await open({ now: clock.now });
      await store.recordDeploy({ version: 'v42', service: 'checkout', at: '2026-08-20T08:50:00Z' });
      const id = (await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: 's000000000000001', startsAt: '2026-08-20T09:00:00Z' }] }) })).incidentIds[0]!;
      await store.act({ incidentId: id, action: 'acknowledge', actor: responder, rationale: 'on it' });
      await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: 's000000000000001', startsAt: '2026-08-20T09:00:00Z', status: 'resolved', endsAt: '2026-08-20T10:30:00Z' }] }) });
      const md = await store.retrospective({ id });
      expect(md).toContain('# Retrospective: HighErrorRate (SLO checkout-availability)');
      expect(md).toContain('time to acknowledge 1 h 0 min');
      expect(md).toContain('time to resolve 1 h 30 min');
      expect(md).toContain('Deployed checkout v42');
      expect(md).toContain('**acknowledge** by Ada (u-ada, responder), succeeded: on it');
    });

    it('archives only resolved incidents past retention, exporting their audits first; dry run only counts', async () => {
      const clock = testClock('2026-09-30T00:00:00Z');
      const { store } = await open({ now: clock.now });
      const old = (await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: 't000000000000001', startsAt: '2026-08-01T09:00:00Z' }] }) })).incidentIds[0]!;
      await store.act({ incidentId: old, action: 'resolve', actor: responder, rationale: 'done' });
      const openOld = (await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: 't000000000000002', startsAt: '2026-08-01T09:00:00Z' }] }) })).incidentIds[0]!;
      clock.set('2026-10-30T00:00:00Z');
      const recent = (await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: 't000000000000003', startsAt: '2026-10-29T09:00:00Z' }] }) })).incidentIds[0]!;
      await store.act({ incidentId: recent, action: 'resolve', actor: responder, rationale: 'done' });
      const dry = await store.archive({ olderThanMs: 7 * 86_400_000, dryRun: true });
      expect(dry).toMatchObject({ dryRun: true, incidents: 1, audits: 1, timelineEntries: 2 });
      expect(await store.getIncident({ id: old })).toBeDefined();
      const exported: string[] = [];
      const token = await store.changeToken();
      const report = await store.archive({ olderThanMs: 7 * 86_400_000, batchSize: 1, exportAudits: (lines) => void exported.push(lines) });
      expect(await store.changeToken()).not.toBe(token);
      expect(report).toMatchObject({ dryRun: false, incidents: 1, audits: 1, timelineEntries: 2 });
      expect(JSON.parse(exported.join('').trim())).toMatchObject({ action: 'resolve', actor_id: responder.id, rationale: 'done' });
      expect(await store.getIncident({ id: old })).toBeUndefined();
      expect((await store.getIncident({ id: openOld }))!.incident.state).toBe('open');
      expect((await store.getIncident({ id: recent }))!.incident.state).toBe('resolved');
    });
  });

  describe(`evidence store on ${target.name}: concurrency${target.concurrent ? "" : " (one connection: callers queue, still exactly once)"}`, () => {
    it('50 concurrent deliveries of one group yield exactly one incident per alert', async () => {
      const { store } = await open();
      const p = payload({ alerts: Array.from({ length: 5 }, (_, i) => ({ fingerprint: `u00000000000000${i}`, startsAt: '2026-08-20T09:00:00Z' })) });
      const results = await Promise.all(Array.from({ length: 50 }, () => store.ingestAlertmanager({ payload: p })));
      const ids = new Set(results.flatMap((r) => r.incidentIds));
      expect(ids.size).toBe(5);
      expect(results.flatMap((r) => r.alerts).filter((a) => a.outcome === 'opened')).toHaveLength(5);
      expect((await store.listIncidents({ state: 'all' })).items).toHaveLength(5);
    });

    it('50 concurrent deliveries of one group in group correlation yield exactly one incident', async () => {
      const { store } = await open({ correlateBy: 'groupKey' });
      const p = payload({ alerts: Array.from({ length: 5 }, (_, i) => ({ fingerprint: `v00000000000000${i}`, startsAt: '2026-08-20T09:00:00Z' })) });
      await Promise.all(Array.from({ length: 50 }, () => store.ingestAlertmanager({ payload: p })));
      const items = (await store.listIncidents({ state: 'all' })).items;
      expect(items).toHaveLength(1);
      expect(items[0]!.alerts).toHaveLength(5);
    });

    it('concurrent retries with one Idempotency-Key have exactly one effect', async () => {
      const { store } = await open();
      const id = (await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: 'x000000000000001', startsAt: '2026-08-20T09:00:00Z' }] }) })).incidentIds[0]!;
      const results = await Promise.all(Array.from({ length: 20 }, () => store.act({ incidentId: id, action: 'escalate', actor: responder, rationale: 'page', idempotencyKey: 'same' })));
      expect(results.filter((r) => !r.replayed)).toHaveLength(1);
      expect(new Set(results.map((r) => r.incident.escalation.step))).toEqual(new Set([1]));
    });

    it('20 concurrent claims of one key: exactly one wins', async () => {
      const { store } = await open();
      const won = await Promise.all(Array.from({ length: 20 }, (_, i) => store.claim({ key: 'run-once', owner: `p${i}`, leaseMs: 60_000 })));
      expect(won.filter(Boolean)).toHaveLength(1);
    });

    it('concurrent acknowledgements: exactly one succeeds, the rest are 409s', async () => {
      const { store } = await open();
      const id = (await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: 'y000000000000001', startsAt: '2026-08-20T09:00:00Z' }] }) })).incidentIds[0]!;
      const settled = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => store.act({ incidentId: id, action: 'acknowledge', actor: { id: `u${i}`, name: `U${i}`, role: 'responder' }, rationale: 'mine' })));
      expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
      for (const s of settled) if (s.status === 'rejected') expect((s.reason as { status: number }).status).toBe(409);
    });
  });
}
