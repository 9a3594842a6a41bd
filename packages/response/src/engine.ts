import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { sql, type Transaction } from 'kysely';
import * as z from 'zod';
import { closeable, ParapetError, parseOptions, type Closeable } from '@parapet/core/integration';
import { isoUtcColumn, type Actor, type EvidenceDatabase, type EvidenceStore, type Incident, type OperatorRoute } from '@parapet/evidence-pg';
import { backoffMs, classify, type AttemptOutcome, type NotificationMessage, type Notifier } from './notifiers.js';
import { matchRunbook, policyFor } from './runbooks.js';
import { normaliseEffect } from './effect.js';
import { createRoutes, type ExecRow } from './routes.js';
import type { Capability, CapabilityEffect, CapabilityReport, EscalationPolicy, Runbook } from './types.js';

type Trx = Transaction<EvidenceDatabase>;

/** The actor automatic steps run as; visible as such on the timeline and in audits. */
export const SYSTEM_ACTOR: Actor = { id: 'system', name: 'Parapet automation', role: 'responder' };

export interface DeliveryOptions {
  /** Attempts before a notification is given up (marked failed, on the timeline). Default 8. */
  maxAttempts?: number;
  /** First backoff ceiling (full jitter). Default 1 s. */
  baseMs?: number;
  /** Backoff ceiling. Default 5 min. */
  capMs?: number;
  /** Longest `Retry-After` honoured (longer ones are capped). Default 1 h. */
  retryAfterCapMs?: number;
  /** Per-request timeout. Default 10 s (keep it under `leaseMs`). */
  timeoutMs?: number;
}

/** Reported for every delivery attempt (metrics, logs, tests). */
export interface NotificationEvent {
  phase: 'attempt' | 'delivered' | 'retry' | 'failed';
  id: string;
  channel: string;
  kind: string;
  incidentId: string;
  attempt: number;
  status?: number | null;
  error?: string;
  /** Milliseconds from the outbox row's creation to this event. */
  lagMs: number;
}

export interface ResponseEngineOptions {
  /** The evidence store, created with `extensions: [responseExtension]`. */
  store: EvidenceStore;
  runbooks?: readonly Runbook[];
  capabilities?: readonly Capability[];
  policies?: readonly EscalationPolicy[];
  notifiers?: readonly Notifier[];
  /** Public base URL of the workbench (`https://ops.example.com/parapet`); messages link to its incident page. */
  publicBaseUrl: string;
  /** The workbench incident URL. Default `${publicBaseUrl}/incidents/${id}`. */
  incidentUrl?: (id: string) => string;
  /** How long a preview can be confirmed. Default 5 min. */
  previewTtlMs?: number;
  /** Lease on claimed work (a notification being sent, a step executing); expired leases are resumed elsewhere. Default 30 s. */
  leaseMs?: number;
  delivery?: DeliveryOptions;
  /** Default breaker for automatic steps: `limit` executions per `windowMs` per step. Default 3 per hour. */
  breaker?: { limit: number; windowMs: number };
  /** Executions resumed more than this many times are marked failed. Default 3. */
  maxExecutionAttempts?: number;
  /** This process's lease owner id. Default `<hostname>:<pid>:<random>`. */
  owner?: string;
  /** Clock (tests). */
  now?: () => Date;
  /** HTTP client for notifiers (tests). Default global fetch. */
  fetch?: typeof fetch;
  /** Errors of background work (never thrown into the host). Default: ignore. */
  onError?: (error: unknown) => void;
}

const optionsSchema = z.strictObject({
  store: z.custom<EvidenceStore>((v) => typeof (v as EvidenceStore)?.transaction === 'function', 'an evidence store from createEvidenceStore()'),
  runbooks: z.array(z.any()).default([]),
  capabilities: z.array(z.any()).default([]),
  policies: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        match: z.strictObject({ slo: z.union([z.string(), z.array(z.string())]).optional(), severity: z.union([z.string(), z.array(z.string())]).optional() }).optional(),
        ackGraceMs: z.number().int().nonnegative(),
        tiers: z.array(z.strictObject({ targets: z.array(z.string().min(1)).min(1), escalateAfterMs: z.number().int().positive() })).min(1),
        announce: z.array(z.string().min(1)).optional(),
      }),
    )
    .default([]),
  notifiers: z.array(z.any()).default([]),
  publicBaseUrl: z.string().url(),
  incidentUrl: z.function().optional(),
  previewTtlMs: z.number().int().positive().default(300_000),
  leaseMs: z.number().int().positive().default(30_000),
  delivery: z
    .strictObject({
      maxAttempts: z.number().int().positive().default(8),
      baseMs: z.number().int().positive().default(1000),
      capMs: z.number().int().positive().default(300_000),
      retryAfterCapMs: z.number().int().positive().default(3_600_000),
      timeoutMs: z.number().int().positive().default(10_000),
    })
    .default({ maxAttempts: 8, baseMs: 1000, capMs: 300_000, retryAfterCapMs: 3_600_000, timeoutMs: 10_000 }),
  breaker: z.strictObject({ limit: z.number().int().positive(), windowMs: z.number().int().positive() }).default({ limit: 3, windowMs: 3_600_000 }),
  maxExecutionAttempts: z.number().int().positive().default(3),
  owner: z.string().min(1).optional(),
  now: z.function().optional(),
  fetch: z.function().optional(),
  onError: z.function().optional(),
});

export interface TickReport {
  events: number;
  escalations: number;
  executions: number;
  delivered: number;
  retried: number;
  failed: number;
}

export interface ResponseHealth {
  outbox: { pending: number; oldestPendingAgeSeconds: number };
  failuresByChannel: Record<string, number>;
  escalationLagSeconds: number;
}

export interface ResponseEngine extends Closeable {
  /** Pass to `createOperatorApiHandler({ routes })`. */
  readonly routes: readonly OperatorRoute[];
  /** Registers (or replaces) a capability in this process. */
  registerCapability(capability: Capability): void;
  /** One pass of all background work: transitions, due escalations, executions, notifications. */
  tick(): Promise<TickReport>;
  /** Runs `tick()` every `intervalMs` (default 1 s) until closed. */
  start(options?: { intervalMs?: number }): Closeable;
  /** Outbox lag, failures by channel, escalation lag (what the metrics report). */
  health(): Promise<ResponseHealth>;
  /** Listens to notification attempts and outcomes; returns an unsubscribe function. */
  onNotification(listener: (event: NotificationEvent) => void): () => void;
  /** Runbooks attached to an incident (and how they matched). */
  runbooksFor(incident: { slo: string | null; alertname: string }): { runbook: Runbook; matchedBy: { slo: string | null; alertname: string | null } }[];
}


interface IncidentRow {
  id: string;
  state: 'open' | 'investigating' | 'resolved';
  alertname: string;
  severity: string | null;
  slo: string | null;
  service: string | null;
  annotations: Record<string, string> | string;
  escalation_step: number;
  next_escalation_at: string | null;
  suppressed_until: string | null;
  escalation_stopped: boolean;
  acknowledged_by: string | null;
  opened_at: string;
}

const jsonOf = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/**
 * Creates the response engine over an evidence store: runbook routes for the operator API,
 * escalation, notifications and automatic steps. Background work runs in `tick()` (call it from
 * your scheduler) or `start()`; any number of processes can run it on one database.
 */
export async function createResponseEngine(options: ResponseEngineOptions): Promise<ResponseEngine> {
  const opts = parseOptions(optionsSchema, options, 'createResponseEngine()');
  const store = opts.store;
  const clock = (opts.now as (() => Date) | undefined) ?? (() => new Date());
  const nowMs = () => clock().getTime();
  const iso = (ms = nowMs()) => new Date(ms).toISOString();
  const doFetch = (opts.fetch as typeof fetch | undefined) ?? fetch;
  const onError = (opts.onError as ((e: unknown) => void) | undefined) ?? (() => {});
  const owner = opts.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const base = opts.publicBaseUrl.replace(/\/+$/, '');
  const incidentUrl = (opts.incidentUrl as ((id: string) => string) | undefined) ?? ((id: string) => `${base}/incidents/${encodeURIComponent(id)}`);
  const runbooks = opts.runbooks as Runbook[];
  const policies = opts.policies as EscalationPolicy[];
  const capabilities = new Map<string, Capability>();
  for (const c of opts.capabilities as Capability[]) capabilities.set(c.name, c);
  const notifiers = new Map<string, Notifier>();
  for (const n of opts.notifiers as Notifier[]) {
    if (notifiers.has(n.name)) throw new ParapetError('INVALID_OPTIONS', `createResponseEngine(): two notifiers are named "${n.name}"; channel names must be unique.`);
    notifiers.set(n.name, n);
  }
  const ids = new Set<string>();
  for (const r of runbooks) {
    if (ids.has(r.id)) throw new ParapetError('INVALID_OPTIONS', `createResponseEngine(): two runbooks have the id "${r.id}".`);
    ids.add(r.id);
  }
  for (const p of policies) {
    for (const channel of [...p.tiers.flatMap((t) => t.targets), ...(p.announce ?? [])]) {
      if (!notifiers.has(channel)) {
        throw new ParapetError('INVALID_OPTIONS', `createResponseEngine(): escalation policy "${p.name}" names channel "${channel}", but no notifier has that name. Configured: ${[...notifiers.keys()].join(', ') || 'none'}.`);
      }
    }
  }
  try {
    await sql`SELECT 1 FROM parapet_response_outbox LIMIT 0`.execute(store.db);
  } catch (cause) {
    throw new ParapetError('INVALID_OPTIONS', 'createResponseEngine(): the response tables are missing. Pass `extensions: [responseExtension]` to createEvidenceStore() (or migrateEvidence()) so its migrations run.', { cause });
  }
  const listeners = new Set<(e: NotificationEvent) => void>();
  const emit = (e: NotificationEvent) => {
    for (const l of listeners) {
      try {
        l(e);
      } catch (error) {
        onError(error);
      }
    }
  };
  const delivery = opts.delivery;
  if (delivery.timeoutMs >= opts.leaseMs) {
    throw new ParapetError('INVALID_OPTIONS', `createResponseEngine(): delivery.timeoutMs (${delivery.timeoutMs}) must be below leaseMs (${opts.leaseMs}); otherwise a slow but live delivery could be taken over by another process and sent twice.`);
  }

  const runbooksFor = (incident: { slo: string | null; alertname: string }) =>
    runbooks.flatMap((runbook) => {
      const matchedBy = matchRunbook(runbook, incident);
      return matchedBy ? [{ runbook, matchedBy }] : [];
    });

  // ---------------------------------------------------------------- shared writes

  async function engineTx<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
    return store.transaction(async (trx) => {
      // Marks this transaction's incident updates as the engine's own (the trigger ignores them).
      await sql`SELECT set_config('parapet.response_engine', 'on', true)`.execute(trx);
      return fn(trx);
    });
  }

  async function loadIncidentRow(trx: Trx, id: string, lock: boolean): Promise<IncidentRow | undefined> {
    const q = sql<IncidentRow>`SELECT id::text AS id, state, alertname, severity, slo, service, annotations, escalation_step,
        ${isoUtcColumn('next_escalation_at')} AS next_escalation_at, ${isoUtcColumn('suppressed_until')} AS suppressed_until, escalation_stopped, acknowledged_by, ${isoUtcColumn('opened_at')} AS opened_at
      FROM parapet_incident WHERE id = ${id}::bigint ${lock ? sql`FOR UPDATE` : sql``}`;
    return (await q.execute(trx)).rows[0];
  }

  async function timeline(trx: Trx, e: { incidentId: string; type: 'system_action' | 'notification'; actor: string | null; summary: string; data?: Record<string, unknown>; dedupeKey?: string }): Promise<void> {
    await trx
      .insertInto('parapet_timeline')
      .values({ incident_id: e.incidentId, type: e.type, at: iso(), actor: e.actor, summary: e.summary, data: JSON.stringify(e.data ?? {}), dedupe_key: e.dedupeKey ?? null })
      .onConflict((oc) => oc.columns(['incident_id', 'dedupe_key']).doNothing())
      .execute();
    await sql`UPDATE parapet_incident SET updated_at = ${iso()}::timestamptz, change_seq = nextval('parapet_change_seq') WHERE id = ${e.incidentId}::bigint`.execute(trx);
  }

  async function audit(trx: Trx, a: { incidentId: string | null; actor: Actor; action: string; rationale: string; outcome: 'succeeded' | 'rejected'; before?: Record<string, unknown> | null; after?: Record<string, unknown> | null }): Promise<void> {
    await trx
      .insertInto('parapet_audit')
      .values({
        incident_id: a.incidentId,
        actor_id: a.actor.id,
        actor_name: a.actor.name,
        actor_role: a.actor.role,
        action: a.action,
        rationale: a.rationale,
        idempotency_key: null,
        outcome: a.outcome,
        before: a.before ? JSON.stringify(a.before) : null,
        after: a.after ? JSON.stringify(a.after) : null,
        at: iso(),
      })
      .execute();
  }

  function message(incident: IncidentRow, kind: string, text: string, extra: Partial<NotificationMessage> = {}): NotificationMessage {
    const annotations = jsonOf<Record<string, string>>(incident.annotations) ?? {};
    return {
      incidentId: incident.id,
      kind,
      title: `${incident.alertname}${incident.service ? ` on ${incident.service}` : ''} (incident ${incident.id})`,
      state: incident.state,
      severity: incident.severity,
      slo: incident.slo,
      service: incident.service,
      alertname: incident.alertname,
      text: text || annotations.summary || '',
      url: incidentUrl(incident.id),
      at: iso(),
      ...extra,
    };
  }

  /** Outbox rows, in the caller's transaction; one per (channel, transition) ever. */
  async function enqueue(trx: Trx, channels: readonly string[], transitionKey: string, m: NotificationMessage): Promise<number> {
    let n = 0;
    for (const channel of new Set(channels)) {
      const res = await sql`INSERT INTO parapet_response_outbox (incident_id, channel, kind, transition_key, message, next_attempt_at, created_at)
        VALUES (${m.incidentId}::bigint, ${channel}, ${m.kind}, ${transitionKey}, ${JSON.stringify(m)}::jsonb, ${iso()}::timestamptz, ${iso()}::timestamptz)
        ON CONFLICT (channel, transition_key) DO NOTHING`.execute(trx);
      n += Number(res.numAffectedRows ?? 0n);
    }
    return n;
  }

  // ---------------------------------------------------------------- escalation

  async function pageTier(trx: Trx, incident: IncidentRow, policy: EscalationPolicy, tierIndex: number, reason: string, key: string): Promise<void> {
    const tier = policy.tiers[tierIndex]!;
    const nextStep = tierIndex + 1;
    const next = nextStep < policy.tiers.length ? iso(nowMs() + tier.escalateAfterMs) : null;
    await sql`UPDATE parapet_incident SET escalation_step = ${nextStep}, next_escalation_at = ${next}::timestamptz WHERE id = ${incident.id}::bigint`.execute(trx);
    const m = message(incident, 'escalation', `${reason} Paging tier ${nextStep} (${tier.targets.join(', ')}).`, { tier: nextStep });
    await enqueue(trx, tier.targets, key, m);
    await timeline(trx, {
      incidentId: incident.id,
      type: 'system_action',
      actor: SYSTEM_ACTOR.id,
      summary: `Escalated to tier ${nextStep} of ${policy.name} (${tier.targets.join(', ')}): ${reason}${next ? ` Next tier at ${next} unless acknowledged.` : ' No further tier.'}`,
      data: { kind: 'escalation', policy: policy.name, tier: nextStep, targets: tier.targets, nextEscalationAt: next },
      dedupeKey: `escalation:${key}`,
    });
  }

  async function processOneEvent(report: TickReport, skip: string[]): Promise<boolean> {
    return engineTx(async (trx) => {
      const ev = (
        await sql<{ id: string; incident_id: string; kind: string; at: string }>`SELECT id::text AS id, incident_id::text AS incident_id, kind, ${isoUtcColumn('at')} AS at
          FROM parapet_response_event WHERE processed_at IS NULL AND NOT (id::text = ANY(${skip}::text[])) ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`.execute(trx)
      ).rows[0];
      if (!ev) return false;
      skip.push(ev.id); // if this transaction fails, later events still run this tick
      report.events++;
      await sql`UPDATE parapet_response_event SET processed_at = ${iso()}::timestamptz WHERE id = ${ev.id}::bigint`.execute(trx);
      const incident = await loadIncidentRow(trx, ev.incident_id, true);
      if (!incident) return true;
      const policy = policyFor(policies, incident);
      const announce = policy?.announce ?? [];
      const key = `${ev.kind}:${ev.id}`;
      switch (ev.kind) {
        case 'opened':
        case 'reopened': {
          if (incident.state === 'resolved') break; // resolved in the meantime
          await enqueue(trx, announce, key, message(incident, ev.kind, ev.kind === 'reopened' ? 'Fired again: incident reopened.' : ''));
          if (policy) {
            const due = iso(Date.parse(ev.at) + policy.ackGraceMs);
            await sql`UPDATE parapet_incident SET escalation_step = 0, escalation_stopped = false, next_escalation_at = ${due}::timestamptz WHERE id = ${incident.id}::bigint`.execute(trx);
            await timeline(trx, {
              incidentId: incident.id,
              type: 'system_action',
              actor: SYSTEM_ACTOR.id,
              summary: `Escalation policy ${policy.name}: tier 1 (${policy.tiers[0]!.targets.join(', ')}) is paged at ${due} unless acknowledged.`,
              data: { kind: 'escalation_scheduled', policy: policy.name, nextEscalationAt: due },
              dedupeKey: `scheduled:${key}`,
            });
          } else {
            await sql`UPDATE parapet_incident SET next_escalation_at = NULL WHERE id = ${incident.id}::bigint`.execute(trx);
          }
          await scheduleAutomatic(trx, incident, ev.id);
          break;
        }
        case 'acknowledged':
          await enqueue(trx, announce, key, message(incident, 'acknowledged', `Acknowledged by ${incident.acknowledged_by ?? 'an operator'}.`));
          break;
        case 'resolved':
          await sql`UPDATE parapet_incident SET escalation_stopped = true, next_escalation_at = NULL WHERE id = ${incident.id}::bigint`.execute(trx);
          await enqueue(trx, announce, key, message(incident, 'resolved', 'Resolved.'));
          break;
        case 'escalate_requested': {
          if (!policy) {
            await timeline(trx, { incidentId: incident.id, type: 'system_action', actor: SYSTEM_ACTOR.id, summary: 'Escalation requested, but no escalation policy covers this incident: nobody was paged.', data: { kind: 'escalation_unrouted' }, dedupeKey: `unrouted:${key}` });
            break;
          }
          const tierIndex = Math.min(Math.max(0, Number(incident.escalation_step) - 1), policy.tiers.length - 1);
          await pageTier(trx, incident, policy, tierIndex, 'Escalated by an operator.', key);
          break;
        }
      }
      return true;
    });
  }

  async function escalateOneDue(report: TickReport, skip: string[]): Promise<boolean> {
    return engineTx(async (trx) => {
      const now = iso();
      const row = (
        await sql<{ id: string }>`SELECT i.id::text AS id FROM parapet_incident i
          WHERE i.state = 'open' AND NOT i.escalation_stopped AND i.next_escalation_at IS NOT NULL AND NOT (i.id::text = ANY(${skip}::text[]))
            AND greatest(i.next_escalation_at, coalesce(i.suppressed_until, i.next_escalation_at)) <= ${now}::timestamptz
            AND NOT EXISTS (SELECT 1 FROM parapet_response_event e WHERE e.incident_id = i.id AND e.processed_at IS NULL)
          ORDER BY i.next_escalation_at LIMIT 1 FOR UPDATE OF i SKIP LOCKED`.execute(trx)
      ).rows[0];
      if (!row) return false;
      skip.push(row.id);
      const incident = (await loadIncidentRow(trx, row.id, true))!;
      const policy = policyFor(policies, incident);
      if (!policy) {
        await sql`UPDATE parapet_incident SET next_escalation_at = NULL WHERE id = ${incident.id}::bigint`.execute(trx);
        return true;
      }
      const step = Number(incident.escalation_step);
      if (step >= policy.tiers.length) {
        await sql`UPDATE parapet_incident SET next_escalation_at = NULL WHERE id = ${incident.id}::bigint`.execute(trx);
        return true;
      }
      report.escalations++;
      const reason = step === 0 ? `Not acknowledged within ${Math.round(policy.ackGraceMs / 1000)} s.` : `Tier ${step} did not acknowledge within ${Math.round(policy.tiers[step - 1]!.escalateAfterMs / 1000)} s.`;
      await pageTier(trx, incident, policy, step, reason, `escalation:${incident.id}:${step + 1}:${incident.next_escalation_at}`);
      return true;
    });
  }

  // ---------------------------------------------------------------- automation

  async function automationEnabled(trx: Trx, runbook: string): Promise<boolean> {
    const row = (await sql<{ automation_enabled: boolean }>`SELECT automation_enabled FROM parapet_response_runbook_setting WHERE runbook = ${runbook}`.execute(trx)).rows[0];
    return row?.automation_enabled ?? true;
  }

  async function breakerCount(trx: Trx, runbook: Runbook, step: string): Promise<number> {
    const windowMs = (runbook.breaker ?? opts.breaker).windowMs;
    const res = await sql<{ n: string }>`SELECT count(*)::text AS n FROM parapet_response_execution
      WHERE automatic AND runbook = ${runbook.id} AND step = ${step} AND started_at > ${iso(nowMs() - windowMs)}::timestamptz`.execute(trx);
    return Number(res.rows[0]!.n);
  }

  async function scheduleAutomatic(trx: Trx, incident: IncidentRow, eventId: string): Promise<void> {
    for (const { runbook } of runbooksFor(incident)) {
      for (const step of runbook.steps) {
        const when = step.automatic;
        if (!when || !step.capability) continue;
        if (when.severities && (incident.severity === null || !when.severities.includes(incident.severity))) continue;
        if (when.slos && (incident.slo === null || !when.slos.includes(incident.slo))) continue;
        if (!(await automationEnabled(trx, runbook.id))) {
          await timeline(trx, { incidentId: incident.id, type: 'system_action', actor: SYSTEM_ACTOR.id, summary: `Automatic step ${runbook.id}/${step.id} skipped: automation is disabled for this runbook.`, data: { kind: 'automation_disabled', runbook: runbook.id, step: step.id }, dedupeKey: `auto-off:${eventId}:${runbook.id}:${step.id}` });
          continue;
        }
        // Serialise breaker decisions for this step across processes (transaction-scoped lock).
        await sql`SELECT pg_advisory_xact_lock(hashtext(${`parapet_response:${runbook.id}:${step.id}`}))`.execute(trx);
        const limit = (runbook.breaker ?? opts.breaker).limit;
        const count = await breakerCount(trx, runbook, step.id);
        if (count >= limit) {
          const windowMs = (runbook.breaker ?? opts.breaker).windowMs;
          const text = `Circuit breaker open: ${runbook.id}/${step.id} already ran ${count} times automatically in the last ${Math.round(windowMs / 60_000)} min (limit ${limit}). Not running it again; escalating to a human.`;
          await timeline(trx, { incidentId: incident.id, type: 'system_action', actor: SYSTEM_ACTOR.id, summary: text, data: { kind: 'breaker_tripped', runbook: runbook.id, step: step.id, executions: count, limit, windowMs }, dedupeKey: `breaker:${eventId}:${runbook.id}:${step.id}` });
          await audit(trx, { incidentId: incident.id, actor: SYSTEM_ACTOR, action: 'runbook-breaker', rationale: text, outcome: 'rejected', after: { runbook: runbook.id, step: step.id, executions: count, limit } });
          const policy = policyFor(policies, incident);
          if (policy) {
            await enqueue(trx, policy.announce ?? [], `breaker:${eventId}:${runbook.id}:${step.id}`, message(incident, 'breaker_tripped', text));
            const fresh = (await loadIncidentRow(trx, incident.id, false))!;
            await pageTier(trx, fresh, policy, Math.min(Number(fresh.escalation_step), policy.tiers.length - 1), 'Automation stopped by its circuit breaker.', `breaker-escalation:${eventId}:${runbook.id}:${step.id}`);
          }
          continue;
        }
        await sql`INSERT INTO parapet_response_execution (incident_id, runbook, step, capability, auto_key, actor_id, automatic, input, status, lease_until, started_at)
          VALUES (${incident.id}::bigint, ${runbook.id}, ${step.id}, ${step.capability}, ${`auto:${eventId}:${runbook.id}:${step.id}`}, ${SYSTEM_ACTOR.id}, true, '{}'::jsonb, 'running', ${iso()}::timestamptz, ${iso()}::timestamptz)
          ON CONFLICT (auto_key) DO NOTHING`.execute(trx);
        await timeline(trx, { incidentId: incident.id, type: 'system_action', actor: SYSTEM_ACTOR.id, summary: `Automatic step ${runbook.id}/${step.id} (${step.capability}) scheduled as ${SYSTEM_ACTOR.name} (${count + 1} of ${limit} allowed in the window).`, data: { kind: 'automation_scheduled', runbook: runbook.id, step: step.id }, dedupeKey: `auto:${eventId}:${runbook.id}:${step.id}` });
      }
    }
  }

  // ---------------------------------------------------------------- executions


  async function toIncident(id: string): Promise<Incident> {
    const detail = await store.getIncident({ id });
    if (!detail) throw new ParapetError('NOT_FOUND', `no incident ${id}.`);
    return detail.incident;
  }

  /** Runs a claimed execution (this process holds its lease) and records the outcome. */
  async function runExecution(exec: ExecRow, actor: Actor): Promise<{ status: 'succeeded' | 'failed'; report: CapabilityReport }> {
    const cap = capabilities.get(exec.capability);
    let status: 'succeeded' | 'failed';
    let report: CapabilityReport;
    let effect = jsonOf<CapabilityEffect | null>(exec.effect);
    try {
      if (!cap) throw new Error(`capability ${exec.capability} is not registered in this process`);
      const incident = await toIncident(exec.incident_id);
      const ctx = { incident, runbook: exec.runbook, step: exec.step, input: jsonOf<Record<string, unknown>>(exec.input) ?? {}, actor };
      if (exec.automatic && !effect) {
        const refused = await cap.validate?.(ctx);
        if (typeof refused === 'string' && refused) throw new Error(`precondition failed: ${refused}`);
        effect = normaliseEffect((await cap.preview(ctx)).effect);
        await sql`UPDATE parapet_response_execution SET effect = ${JSON.stringify(effect)}::jsonb WHERE id = ${exec.id}::bigint AND lease_owner = ${owner}`.execute(store.db);
      }
      const result = await cap.execute({ ...ctx, idempotencyKey: exec.preview_id ?? `exec_${exec.id}`, effect: effect ?? { summary: '' } });
      report = { summary: String(result?.summary ?? ''), ...(result?.data !== undefined && { data: result.data }) };
      status = result?.ok === false ? 'failed' : 'succeeded';
    } catch (error) {
      status = 'failed';
      report = { summary: error instanceof Error ? error.message : String(error) };
    }
    await engineTx(async (trx) => {
      const res = await sql`UPDATE parapet_response_execution SET status = ${status}, report = ${JSON.stringify(report)}::jsonb, finished_at = ${iso()}::timestamptz, lease_owner = NULL
        WHERE id = ${exec.id}::bigint AND lease_owner = ${owner} AND status = 'running'`.execute(trx);
      if (Number(res.numAffectedRows ?? 0n) === 0) return; // lease lost: the process that took over records it
      const who = exec.automatic ? SYSTEM_ACTOR.name : actor.name || actor.id;
      await timeline(trx, {
        incidentId: exec.incident_id,
        type: 'system_action',
        actor: actor.id,
        summary: `${exec.runbook}/${exec.step} (${exec.capability}) ${status} — run by ${who}${exec.automatic ? ' (automatic)' : ''}: ${report.summary}`,
        data: { kind: 'step_executed', runbook: exec.runbook, step: exec.step, executionId: exec.id, status, automatic: exec.automatic, report },
        dedupeKey: `executed:${exec.id}`,
      });
      await audit(trx, { incidentId: exec.incident_id, actor, action: 'runbook-execute', rationale: `${exec.runbook}/${exec.step}: ${report.summary || status}`, outcome: status === 'succeeded' ? 'succeeded' : 'rejected', after: { executionId: exec.id, status, report } });
    });
    return { status, report };
  }

  async function resumeOneExecution(report: TickReport): Promise<boolean> {
    const claimed = await engineTx(async (trx) => {
      const row = (
        await sql<ExecRow>`UPDATE parapet_response_execution SET lease_owner = ${owner}, lease_until = ${iso(nowMs() + opts.leaseMs)}::timestamptz, attempts = attempts + 1
          WHERE id = (SELECT id FROM parapet_response_execution WHERE status = 'running' AND lease_until <= ${iso()}::timestamptz ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
          RETURNING id::text AS id, incident_id::text AS incident_id, runbook, step, capability, preview_id, actor_id, automatic, input, effect, attempts`.execute(trx)
      ).rows[0];
      if (row && row.attempts > opts.maxExecutionAttempts) {
        const r = { summary: `abandoned after ${row.attempts - 1} attempts (the process running it stopped each time)` };
        await sql`UPDATE parapet_response_execution SET status = 'failed', report = ${JSON.stringify(r)}::jsonb, finished_at = ${iso()}::timestamptz, lease_owner = NULL WHERE id = ${row.id}::bigint`.execute(trx);
        await timeline(trx, { incidentId: row.incident_id, type: 'system_action', actor: SYSTEM_ACTOR.id, summary: `${row.runbook}/${row.step} failed: ${r.summary}`, data: { kind: 'step_executed', executionId: row.id, status: 'failed', report: r }, dedupeKey: `executed:${row.id}` });
        return null;
      }
      return row ?? false;
    });
    if (claimed === false) return false;
    if (claimed === null) return true;
    report.executions++;
    const actor: Actor = claimed.automatic ? SYSTEM_ACTOR : { id: claimed.actor_id, name: claimed.actor_id, role: 'responder' };
    await runExecution(claimed, actor);
    return true;
  }

  // ---------------------------------------------------------------- notifications

  interface OutboxRow {
    id: string;
    incident_id: string;
    channel: string;
    kind: string;
    message: unknown;
    attempts: number;
    created_at: string;
  }

  async function attempt(row: OutboxRow): Promise<AttemptOutcome> {
    const notifier = notifiers.get(row.channel);
    if (!notifier) return { kind: 'permanent', status: 0, error: `no notifier named "${row.channel}" is configured in this process` };
    let req;
    try {
      req = notifier.render(jsonOf<NotificationMessage>(row.message), { id: `msg_${row.id}`, timestamp: Math.floor(nowMs() / 1000) });
    } catch (error) {
      return { kind: 'permanent', status: 0, error: `rendering failed: ${error instanceof Error ? error.message : String(error)}` };
    }
    try {
      const res = await doFetch(req.url, { method: 'POST', headers: req.headers, body: req.body, signal: AbortSignal.timeout(delivery.timeoutMs), redirect: 'error' });
      const text = await res.text().catch(() => '');
      const outcome = classify(res.status, res.headers, text, nowMs());
      // Slack answers 200 with a plain-text error body on some failures; only "ok" is success.
      if (outcome.kind === 'delivered' && notifier.kind === 'slack' && text && text.trim() !== 'ok') return { kind: 'permanent', status: res.status, error: `Slack answered ${text.slice(0, 100)}` };
      return outcome;
    } catch (error) {
      // Never echo the URL: Slack/Teams URLs are secrets.
      const name = (error as { name?: string })?.name;
      return { kind: 'retry', status: null, error: name === 'TimeoutError' ? `timed out after ${delivery.timeoutMs} ms` : `network error: ${(error as { cause?: { code?: string } })?.cause?.code ?? name ?? 'unknown'}` };
    }
  }

  async function deliverBatch(report: TickReport): Promise<number> {
    const rows = await store.transaction(
      async (trx) =>
        (
          await sql<OutboxRow>`UPDATE parapet_response_outbox SET lease_owner = ${owner}, lease_until = ${iso(nowMs() + opts.leaseMs)}::timestamptz, attempts = attempts + 1
            WHERE id IN (SELECT id FROM parapet_response_outbox WHERE state = 'pending' AND next_attempt_at <= ${iso()}::timestamptz AND (lease_until IS NULL OR lease_until <= ${iso()}::timestamptz)
                         ORDER BY next_attempt_at, id LIMIT 10 FOR UPDATE SKIP LOCKED)
            RETURNING id::text AS id, incident_id::text AS incident_id, channel, kind, message, attempts, ${isoUtcColumn('created_at')} AS created_at`.execute(trx)
        ).rows,
    );
    await Promise.all(
      rows.map(async (row) => {
        const lag = () => nowMs() - Date.parse(row.created_at);
        emit({ phase: 'attempt', id: row.id, channel: row.channel, kind: row.kind, incidentId: row.incident_id, attempt: row.attempts, lagMs: lag() });
        const outcome = await attempt(row);
        try {
          await recordAttempt(row, outcome, report, lag);
        } catch (error) {
          onError(error);
        }
      }),
    );
    return rows.length;
  }

  async function recordAttempt(row: OutboxRow, outcome: AttemptOutcome, report: TickReport, lag: () => number): Promise<void> {
    const base = { id: row.id, channel: row.channel, kind: row.kind, incidentId: row.incident_id, attempt: row.attempts };
    if (outcome.kind === 'delivered') {
      const done = await engineTx(async (trx) => {
        const res = await sql`UPDATE parapet_response_outbox SET state = 'delivered', delivered_at = ${iso()}::timestamptz, last_status = ${outcome.status}, last_error = NULL, lease_owner = NULL, lease_until = NULL
          WHERE id = ${row.id}::bigint AND lease_owner = ${owner} AND state = 'pending'`.execute(trx);
        if (Number(res.numAffectedRows ?? 0n) === 0) return false;
        await timeline(trx, { incidentId: row.incident_id, type: 'notification', actor: null, summary: `Notified ${row.channel} (${row.kind}) — HTTP ${outcome.status}${row.attempts > 1 ? ` after ${row.attempts} attempts` : ''}.`, data: { channel: row.channel, kind: row.kind, outboxId: row.id, status: outcome.status, attempts: row.attempts }, dedupeKey: `notification:${row.id}` });
        return true;
      });
      if (done) {
        report.delivered++;
        emit({ ...base, phase: 'delivered', status: outcome.status, lagMs: lag() });
      }
      return;
    }
    const giveUp = outcome.kind === 'permanent' || row.attempts >= delivery.maxAttempts;
    if (giveUp) {
      const why = outcome.kind === 'permanent' ? outcome.error : `${outcome.error} (gave up after ${row.attempts} attempts)`;
      await engineTx(async (trx) => {
        const res = await sql`UPDATE parapet_response_outbox SET state = 'failed', last_status = ${outcome.status}, last_error = ${why}, lease_owner = NULL, lease_until = NULL
          WHERE id = ${row.id}::bigint AND lease_owner = ${owner} AND state = 'pending'`.execute(trx);
        if (Number(res.numAffectedRows ?? 0n) === 0) return;
        await timeline(trx, { incidentId: row.incident_id, type: 'notification', actor: null, summary: `Notification to ${row.channel} (${row.kind}) failed: ${why}`, data: { channel: row.channel, kind: row.kind, outboxId: row.id, status: outcome.status, error: why, attempts: row.attempts }, dedupeKey: `notification:${row.id}` });
      });
      report.failed++;
      emit({ ...base, phase: 'failed', status: outcome.status, error: why, lagMs: lag() });
      return;
    }
    const wait = outcome.retryAfterMs !== undefined ? Math.min(outcome.retryAfterMs, delivery.retryAfterCapMs) : backoffMs(row.attempts, delivery.baseMs, delivery.capMs);
    await sql`UPDATE parapet_response_outbox SET next_attempt_at = ${iso(nowMs() + wait)}::timestamptz, last_status = ${outcome.status}, last_error = ${outcome.error}, lease_owner = NULL, lease_until = NULL
      WHERE id = ${row.id}::bigint AND lease_owner = ${owner} AND state = 'pending'`.execute(store.db);
    report.retried++;
    emit({ ...base, phase: 'retry', status: outcome.status, error: outcome.error, lagMs: lag() });
  }

  // ---------------------------------------------------------------- tick / loop

  let ticking: Promise<TickReport> | undefined;
  async function tickOnce(): Promise<TickReport> {
    const report: TickReport = { events: 0, escalations: 0, executions: 0, delivered: 0, retried: 0, failed: 0 };
    // One failing item (a bug, a constraint) never blocks the others: it is skipped for this tick,
    // reported to onError, and retried on the next.
    const step = async (fn: () => Promise<boolean>, skip?: string[]): Promise<boolean> => {
      const before = skip?.length;
      try {
        return await fn();
      } catch (error) {
        onError(error);
        // Go on only past an item we could skip; a failure before picking one (database down) ends the pass.
        return skip !== undefined && skip.length !== before;
      }
    };
    const skipEvents: string[] = [];
    const skipIncidents: string[] = [];
    for (let i = 0; i < 100 && (await step(() => processOneEvent(report, skipEvents), skipEvents)); i++);
    for (let i = 0; i < 100 && (await step(() => escalateOneDue(report, skipIncidents), skipIncidents)); i++);
    for (let i = 0; i < 20 && (await step(() => resumeOneExecution(report))); i++);
    for (let i = 0; i < 10 && (await step(async () => (await deliverBatch(report)) > 0)); i++);
    return report;
  }
  const tick = (): Promise<TickReport> => {
    // One tick at a time per engine; concurrent callers share it.
    ticking ??= tickOnce().finally(() => {
      ticking = undefined;
    });
    return ticking;
  };

  let wake: (() => void) | undefined;
  const kick = () => wake?.();

  // ---------------------------------------------------------------- routes

  const routes = createRoutes({
    store,
    runbooks,
    runbooksFor,
    capabilities,
    policies,
    previewTtlMs: opts.previewTtlMs,
    leaseMs: opts.leaseMs,
    owner,
    iso,
    nowMs,
    engineTx,
    timeline,
    audit,
    runExecution,
    kick,
    breaker: opts.breaker,
    health: () => health(),
  });

  async function health(): Promise<ResponseHealth> {
    const now = iso();
    const outbox = (
      await sql<{ pending: string; oldest: number | null }>`SELECT count(*)::text AS pending, extract(epoch FROM (${now}::timestamptz - min(created_at)))::float8 AS oldest
        FROM parapet_response_outbox WHERE state = 'pending'`.execute(store.db)
    ).rows[0]!;
    const failures = (await sql<{ channel: string; n: string }>`SELECT channel, count(*)::text AS n FROM parapet_response_outbox WHERE state = 'failed' GROUP BY channel`.execute(store.db)).rows;
    const lag = (
      await sql<{ lag: number | null }>`SELECT extract(epoch FROM (${now}::timestamptz - min(greatest(next_escalation_at, coalesce(suppressed_until, next_escalation_at)))))::float8 AS lag
        FROM parapet_incident WHERE state = 'open' AND NOT escalation_stopped AND next_escalation_at IS NOT NULL
          AND greatest(next_escalation_at, coalesce(suppressed_until, next_escalation_at)) <= ${now}::timestamptz`.execute(store.db)
    ).rows[0]!;
    const failuresByChannel: Record<string, number> = Object.fromEntries([...notifiers.keys()].map((c) => [c, 0]));
    for (const f of failures) failuresByChannel[f.channel] = Number(f.n);
    return { outbox: { pending: Number(outbox.pending), oldestPendingAgeSeconds: Math.max(0, Number(outbox.oldest ?? 0)) }, failuresByChannel, escalationLagSeconds: Math.max(0, Number(lag.lag ?? 0)) };
  }

  const loops = new Set<Closeable>();
  const engine: ResponseEngine = {
    routes,
    registerCapability(capability) {
      if (!capability?.name || typeof capability.preview !== 'function' || typeof capability.execute !== 'function') {
        throw new ParapetError('INVALID_OPTIONS', 'registerCapability(): a capability needs a name, preview() and execute().');
      }
      capabilities.set(capability.name, capability);
    },
    tick,
    start({ intervalMs = 1000 } = {}) {
      let stopped = false;
      let timer: NodeJS.Timeout | undefined;
      let running: Promise<unknown> = Promise.resolve();
      const loop = () => {
        if (stopped) return;
        running = tick()
          .catch(onError)
          .finally(() => {
            if (!stopped) timer = setTimeout(loop, intervalMs);
          });
      };
      wake = () => {
        if (stopped) return;
        clearTimeout(timer);
        void running.then(() => {
          if (!stopped) {
            clearTimeout(timer);
            loop();
          }
        });
      };
      loop();
      const handle = closeable({}, async () => {
        stopped = true;
        clearTimeout(timer);
        await running.catch(() => {});
        loops.delete(handle);
      });
      loops.add(handle);
      return handle;
    },
    health,
    onNotification(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    runbooksFor,
    close: async () => {},
    [Symbol.asyncDispose]: async () => {},
  };
  return closeable(engine, async () => {
    for (const l of [...loops]) await l.close();
  }) as ResponseEngine;
}

