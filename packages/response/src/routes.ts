import { randomBytes } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import * as z from 'zod';
import { ParapetError } from '@parapet/core/integration';
import { isoUtcColumn, type Actor, type EvidenceDatabase, type EvidenceStore, type Incident, type OperatorRoute } from '@parapet/evidence-pg';
import type { ResponseHealth } from './engine.js';
import { normaliseEffect } from './effect.js';
import { policyFor } from './runbooks.js';
import type { Capability, CapabilityReport, EscalationPolicy, Runbook } from './types.js';

type Trx = Transaction<EvidenceDatabase>;

const jsonOf = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

export interface RouteContext {
  store: EvidenceStore;
  runbooks: readonly Runbook[];
  runbooksFor: (incident: { slo: string | null; alertname: string }) => { runbook: Runbook; matchedBy: { slo: string | null; alertname: string | null } }[];
  capabilities: Map<string, Capability>;
  policies: readonly EscalationPolicy[];
  previewTtlMs: number;
  leaseMs: number;
  owner: string;
  iso: (ms?: number) => string;
  nowMs: () => number;
  engineTx: <T>(fn: (trx: Trx) => Promise<T>) => Promise<T>;
  timeline: (trx: Trx, e: { incidentId: string; type: 'system_action' | 'notification'; actor: string | null; summary: string; data?: Record<string, unknown>; dedupeKey?: string }) => Promise<void>;
  audit: (trx: Trx, a: { incidentId: string | null; actor: Actor; action: string; rationale: string; outcome: 'succeeded' | 'rejected'; before?: Record<string, unknown> | null; after?: Record<string, unknown> | null }) => Promise<void>;
  runExecution: (exec: ExecRow, actor: Actor) => Promise<{ status: 'succeeded' | 'failed'; report: CapabilityReport }>;
  kick: () => void;
  breaker: { limit: number; windowMs: number };
  health: () => Promise<ResponseHealth>;
}

export interface ExecRow {
  id: string;
  incident_id: string;
  runbook: string;
  step: string;
  capability: string;
  preview_id: string | null;
  actor_id: string;
  automatic: boolean;
  input: unknown;
  effect: unknown;
  attempts: number;
}

interface PreviewRow {
  id: string;
  incident_id: string;
  runbook: string;
  step: string;
  capability: string;
  actor_id: string;
  effect: unknown;
  warnings: unknown;
  input: unknown;
  state: 'pending' | 'confirmed' | 'cancelled';
  created_at: string;
  expires_at: string;
  execution_id: string | null;
}

const PREVIEW_COLUMNS = sql.raw(`id, incident_id::text AS incident_id, runbook, step, capability, actor_id, effect, warnings, input, state,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at,
  to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS expires_at, execution_id::text AS execution_id`);

const EXECUTION_COLUMNS = sql.raw(`id::text AS id, preview_id, incident_id::text AS incident_id, runbook, step, actor_id, automatic, status, report,
  to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS started_at,
  to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS finished_at`);

function previewView(r: PreviewRow) {
  return {
    id: r.id,
    incidentId: r.incident_id,
    runbook: r.runbook,
    step: r.step,
    capability: r.capability,
    actor: r.actor_id,
    effect: jsonOf<object>(r.effect),
    warnings: jsonOf<string[]>(r.warnings),
    state: r.state,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
  };
}

interface ExecutionRowView {
  id: string;
  preview_id: string | null;
  incident_id: string;
  runbook: string;
  step: string;
  actor_id: string;
  automatic: boolean;
  status: 'running' | 'succeeded' | 'failed';
  report: unknown;
  started_at: string;
  finished_at: string | null;
}

function executionView(r: ExecutionRowView) {
  return {
    id: r.id,
    previewId: r.preview_id,
    incidentId: r.incident_id,
    runbook: r.runbook,
    step: r.step,
    actor: r.actor_id,
    automatic: r.automatic,
    status: r.status,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    report: jsonOf<object | null>(r.report) ?? null,
  };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } });

function invalid(error: z.ZodError): ParapetError {
  const first = error.issues[0]!;
  const field = first.path.map(String).join('.') || 'body';
  return new ParapetError('INVALID_REQUEST', `${field}: ${first.message}.`, { details: { field } });
}

const rationale = z.string({ error: 'rationale is required: say why (it is kept in the audit trail)' }).refine((s) => s.trim().length > 0, 'rationale must not be empty');
const previewBody = z.strictObject({ input: z.record(z.string(), z.unknown()).optional(), rationale: z.string().optional() });
const confirmBody = z.strictObject({ rationale });
const cancelBody = z.strictObject({ rationale: z.string().optional() });
const automationBody = z.strictObject({ enabled: z.boolean({ error: 'enabled is required: true or false' }), rationale });

function conflict(reason: string, message: string, details: Record<string, unknown> = {}): ParapetError {
  return new ParapetError('CONFLICT', message, { details: { reason, ...details } });
}

export function createRoutes(ctx: RouteContext): OperatorRoute[] {
  const { store, iso } = ctx;

  async function incidentOr404(id: string): Promise<Incident> {
    const detail = await store.getIncident({ id });
    if (!detail) throw new ParapetError('NOT_FOUND', `no incident ${id}.`);
    return detail.incident;
  }

  async function automationEnabled(runbook: string): Promise<boolean> {
    const row = (await sql<{ automation_enabled: boolean }>`SELECT automation_enabled FROM parapet_response_runbook_setting WHERE runbook = ${runbook}`.execute(store.db)).rows[0];
    return row?.automation_enabled ?? true;
  }

  const listRunbooks: OperatorRoute = {
    method: 'GET',
    path: '/incidents/:id/runbooks',
    async handler({ params, actor }) {
      const incident = await incidentOr404(params.id!);
      const now = iso();
      const runbooks = [];
      for (const { runbook, matchedBy } of ctx.runbooksFor(incident)) {
        const breaker = runbook.breaker ?? ctx.breaker;
        const autoSteps = runbook.steps.filter((s) => s.automatic).map((s) => s.id);
        let executions = 0;
        if (autoSteps.length > 0) {
          const res = await sql<{ n: string }>`SELECT coalesce(max(n), 0)::text AS n FROM (SELECT count(*) AS n FROM parapet_response_execution
            WHERE automatic AND runbook = ${runbook.id} AND step = ANY(${autoSteps}::text[]) AND started_at > ${iso(ctx.nowMs() - breaker.windowMs)}::timestamptz GROUP BY step) c`.execute(store.db);
          executions = Number(res.rows[0]?.n ?? 0);
        }
        const steps = [];
        for (const [index, step] of runbook.steps.entries()) {
          const preview = (
            await sql<PreviewRow>`SELECT ${PREVIEW_COLUMNS} FROM parapet_response_preview WHERE incident_id = ${incident.id}::bigint AND runbook = ${runbook.id} AND step = ${step.id}
              AND actor_id = ${actor.id} AND state = 'pending' AND expires_at > ${now}::timestamptz ORDER BY created_at DESC LIMIT 1`.execute(store.db)
          ).rows[0];
          const last = (
            await sql<ExecutionRowView>`SELECT ${EXECUTION_COLUMNS} FROM parapet_response_execution WHERE incident_id = ${incident.id}::bigint AND runbook = ${runbook.id} AND step = ${step.id} ORDER BY id DESC LIMIT 1`.execute(store.db)
          ).rows[0];
          const registered = step.capability ? ctx.capabilities.has(step.capability) : false;
          const status = !step.capability ? 'guidance' : preview ? 'previewed' : last ? last.status : registered ? 'available' : 'unavailable';
          steps.push({
            id: step.id,
            index,
            title: step.title,
            guidance: step.guidance,
            kind: step.capability ? 'capability' : 'guidance',
            capability: step.capability ? { name: step.capability, registered } : null,
            automatic: step.automatic ? { severities: step.automatic.severities ?? null, slos: step.automatic.slos ?? null } : null,
            status,
            activePreview: preview ? { id: preview.id, actor: preview.actor_id, expiresAt: preview.expires_at } : null,
            lastExecution: last ? executionView(last) : null,
          });
        }
        runbooks.push({
          id: runbook.id,
          title: runbook.title,
          description: runbook.description ?? '',
          matchedBy,
          automation: { enabled: await automationEnabled(runbook.id), breaker: { open: autoSteps.length > 0 && executions >= breaker.limit, executions, limit: breaker.limit, windowMs: breaker.windowMs } },
          steps,
        });
      }
      return json({ incidentId: incident.id, runbooks });
    },
  };

  const preview: OperatorRoute = {
    method: 'POST',
    path: '/incidents/:id/runbooks/:runbook/steps/:step/preview',
    async handler({ params, actor, body }) {
      const parsed = previewBody.safeParse(body ?? {});
      if (!parsed.success) throw invalid(parsed.error);
      const incident = await incidentOr404(params.id!);
      const attached = ctx.runbooksFor(incident).find((r) => r.runbook.id === params.runbook);
      if (!attached) throw new ParapetError('NOT_FOUND', `no runbook ${params.runbook} is attached to incident ${incident.id} (attached: ${ctx.runbooksFor(incident).map((r) => r.runbook.id).join(', ') || 'none'}).`);
      const step = attached.runbook.steps.find((s) => s.id === params.step);
      if (!step) throw new ParapetError('NOT_FOUND', `runbook ${attached.runbook.id} has no step ${params.step}.`);
      if (incident.state === 'resolved') throw conflict('incident_resolved', `incident ${incident.id} is resolved; reopen it before acting on it.`);
      if (!step.capability) throw conflict('guidance_only', `step ${step.id} is guidance only; there is nothing to preview or execute.`);
      const capability = ctx.capabilities.get(step.capability);
      if (!capability) throw conflict('capability_unavailable', `capability ${step.capability} is not registered in this process; register it with registerCapability() or the capabilities option.`, { capability: step.capability });
      const input = parsed.data.input ?? {};
      const cctx = { incident, runbook: attached.runbook.id, step: step.id, input, actor };
      let refused: string | undefined;
      try {
        const r = await capability.validate?.(cctx);
        if (typeof r === 'string' && r) refused = r;
      } catch (error) {
        refused = error instanceof Error ? error.message : String(error);
      }
      if (refused !== undefined) throw conflict('precondition_failed', `${step.capability} refused: ${refused}`, { capability: step.capability });
      const result = await capability.preview(cctx);
      const effect = normaliseEffect(result?.effect);
      const warnings = Array.isArray(result?.warnings) ? result.warnings.map(String) : [];
      const id = `pv_${randomBytes(16).toString('base64url')}`;
      const createdAt = iso();
      const expiresAt = iso(ctx.nowMs() + ctx.previewTtlMs);
      const row = await ctx.engineTx(async (trx) => {
        const r = (
          await sql<PreviewRow>`INSERT INTO parapet_response_preview (id, incident_id, runbook, step, capability, actor_id, input, effect, warnings, created_at, expires_at)
            VALUES (${id}, ${incident.id}::bigint, ${attached.runbook.id}, ${step.id}, ${step.capability}, ${actor.id}, ${JSON.stringify(input)}::jsonb, ${JSON.stringify(effect)}::jsonb, ${JSON.stringify(warnings)}::jsonb, ${createdAt}::timestamptz, ${expiresAt}::timestamptz)
            RETURNING ${PREVIEW_COLUMNS}`.execute(trx)
        ).rows[0]!;
        const why = parsed.data.rationale?.trim() || `preview ${attached.runbook.id}/${step.id}`;
        await ctx.audit(trx, { incidentId: incident.id, actor, action: 'runbook-preview', rationale: why, outcome: 'succeeded', after: { previewId: id, runbook: attached.runbook.id, step: step.id, effect, warnings, expiresAt } });
        await ctx.timeline(trx, {
          incidentId: incident.id,
          type: 'system_action',
          actor: actor.id,
          summary: `${actor.name || actor.id} previewed ${attached.runbook.id}/${step.id}: ${effect.summary}${warnings.length ? ` (${warnings.length} warning${warnings.length > 1 ? 's' : ''})` : ''}`,
          data: { kind: 'step_previewed', previewId: id, runbook: attached.runbook.id, step: step.id, effect, warnings, expiresAt },
          dedupeKey: `preview:${id}`,
        });
        return r;
      });
      return json({ preview: previewView(row) }, 201);
    },
  };

  /** Why a conditional consume failed, from the row as it is now. */
  function refusal(row: PreviewRow | undefined, actor: Actor, incidentId: string, previewId: string, nowIso: string): ParapetError {
    if (!row) return new ParapetError('NOT_FOUND', `no preview ${previewId} for incident ${incidentId}.`);
    if (row.state === 'confirmed') return conflict('already_confirmed', `preview ${row.id} was already confirmed (execution ${row.execution_id}); each preview runs once. Make a new preview to run the step again.`, { executionId: row.execution_id });
    if (row.state === 'cancelled') return conflict('cancelled', `preview ${row.id} was cancelled; make a new preview.`);
    if (row.actor_id !== actor.id) return conflict('other_actor', `preview ${row.id} belongs to ${row.actor_id}; a preview is confirmed by the operator who made it. Make your own preview.`, { actor: row.actor_id });
    if (row.expires_at <= nowIso) return new ParapetError('GONE', `preview ${row.id} expired at ${row.expires_at}; make a new preview (the effect may have changed).`, { details: { reason: 'expired', expiredAt: row.expires_at } });
    return conflict('incident_resolved', `incident ${incidentId} is resolved; reopen it before acting on it.`);
  }

  async function rejectAudit(incidentId: string, actor: Actor, action: string, error: ParapetError, rationaleText: string): Promise<void> {
    await ctx
      .engineTx(async (trx) => {
        const exists = (await sql`SELECT 1 FROM parapet_incident WHERE id = ${incidentId}::bigint`.execute(trx)).rows.length > 0;
        if (exists) await ctx.audit(trx, { incidentId, actor, action, rationale: rationaleText, outcome: 'rejected', after: { error: error.toJSON().error } });
      })
      .catch(() => {});
  }

  const confirm: OperatorRoute = {
    method: 'POST',
    path: '/incidents/:id/previews/:preview/confirm',
    async handler({ params, actor, body }) {
      const parsed = confirmBody.safeParse(body ?? {});
      if (!parsed.success) throw invalid(parsed.error);
      if (!/^[0-9]{1,18}$/.test(params.id!)) throw new ParapetError('NOT_FOUND', `no incident ${params.id}.`);
      const incidentId = params.id!;
      const outcome = await ctx.engineTx(async (trx): Promise<{ error: ParapetError } | { exec: ExecRow; preview: PreviewRow }> => {
        const now = iso();
        const state = (await sql<{ state: string }>`SELECT state FROM parapet_incident WHERE id = ${incidentId}::bigint FOR UPDATE`.execute(trx)).rows[0];
        if (!state) return { error: new ParapetError('NOT_FOUND', `no incident ${incidentId}.`) };
        // The one place a preview is consumed: a conditional update, so exactly one caller wins.
        const consumed = (
          await sql<PreviewRow>`UPDATE parapet_response_preview SET state = 'confirmed', decided_at = ${now}::timestamptz
            WHERE id = ${params.preview!} AND incident_id = ${incidentId}::bigint AND state = 'pending' AND actor_id = ${actor.id} AND expires_at > ${now}::timestamptz
              AND ${state.state} <> 'resolved'
            RETURNING ${PREVIEW_COLUMNS}`.execute(trx)
        ).rows[0];
        if (!consumed) {
          const row = (await sql<PreviewRow>`SELECT ${PREVIEW_COLUMNS} FROM parapet_response_preview WHERE id = ${params.preview!} AND incident_id = ${incidentId}::bigint`.execute(trx)).rows[0];
          return { error: refusal(row, actor, incidentId, params.preview!, now) };
        }
        const exec = (
          await sql<ExecRow>`INSERT INTO parapet_response_execution (incident_id, runbook, step, capability, preview_id, actor_id, automatic, input, effect, status, attempts, lease_owner, lease_until, started_at)
            VALUES (${incidentId}::bigint, ${consumed.runbook}, ${consumed.step}, ${consumed.capability}, ${consumed.id}, ${actor.id}, false, ${JSON.stringify(jsonOf(consumed.input))}::jsonb, ${JSON.stringify(jsonOf(consumed.effect))}::jsonb,
                    'running', 1, ${ctx.owner}, ${iso(ctx.nowMs() + ctx.leaseMs)}::timestamptz, ${now}::timestamptz)
            RETURNING id::text AS id, incident_id::text AS incident_id, runbook, step, capability, preview_id, actor_id, automatic, input, effect, attempts`.execute(trx)
        ).rows[0]!;
        await sql`UPDATE parapet_response_preview SET execution_id = ${exec.id}::bigint WHERE id = ${consumed.id}`.execute(trx);
        const effect = jsonOf<{ summary: string }>(consumed.effect);
        await ctx.audit(trx, { incidentId, actor, action: 'runbook-confirm', rationale: parsed.data.rationale, outcome: 'succeeded', after: { previewId: consumed.id, executionId: exec.id, runbook: consumed.runbook, step: consumed.step, effect } });
        await ctx.timeline(trx, {
          incidentId,
          type: 'system_action',
          actor: actor.id,
          summary: `${actor.name || actor.id} confirmed ${consumed.runbook}/${consumed.step}: ${effect.summary} — ${parsed.data.rationale}`,
          data: { kind: 'step_confirmed', previewId: consumed.id, executionId: exec.id, runbook: consumed.runbook, step: consumed.step },
          dedupeKey: `confirm:${consumed.id}`,
        });
        return { exec, preview: consumed };
      });
      if ('error' in outcome) {
        await rejectAudit(incidentId, actor, 'runbook-confirm', outcome.error, parsed.data.rationale);
        throw outcome.error;
      }
      await ctx.runExecution(outcome.exec, actor);
      const row = (await sql<ExecutionRowView>`SELECT ${EXECUTION_COLUMNS} FROM parapet_response_execution WHERE id = ${outcome.exec.id}::bigint`.execute(store.db)).rows[0]!;
      ctx.kick();
      return json({ execution: executionView(row) });
    },
  };

  const cancel: OperatorRoute = {
    method: 'POST',
    path: '/incidents/:id/previews/:preview/cancel',
    async handler({ params, actor, body }) {
      const parsed = cancelBody.safeParse(body ?? {});
      if (!parsed.success) throw invalid(parsed.error);
      if (!/^[0-9]{1,18}$/.test(params.id!)) throw new ParapetError('NOT_FOUND', `no incident ${params.id}.`);
      const incidentId = params.id!;
      const outcome = await ctx.engineTx(async (trx): Promise<{ error: ParapetError } | { row: PreviewRow }> => {
        const now = iso();
        // Lock order everywhere: the incident row first, then the engine's rows.
        const exists = (await sql`SELECT 1 FROM parapet_incident WHERE id = ${incidentId}::bigint FOR UPDATE`.execute(trx)).rows.length > 0;
        if (!exists) return { error: new ParapetError('NOT_FOUND', `no incident ${incidentId}.`) };
        const row = (
          await sql<PreviewRow>`UPDATE parapet_response_preview SET state = 'cancelled', decided_at = ${now}::timestamptz
            WHERE id = ${params.preview!} AND incident_id = ${incidentId}::bigint AND state = 'pending' AND actor_id = ${actor.id}
            RETURNING ${PREVIEW_COLUMNS}`.execute(trx)
        ).rows[0];
        if (!row) {
          const existing = (await sql<PreviewRow>`SELECT ${PREVIEW_COLUMNS} FROM parapet_response_preview WHERE id = ${params.preview!} AND incident_id = ${incidentId}::bigint`.execute(trx)).rows[0];
          // Cancelling an expired preview is fine (nothing to undo); report the others.
          return { error: refusal(existing ? { ...existing, expires_at: '9999' } : undefined, actor, incidentId, params.preview!, now) };
        }
        await ctx.audit(trx, { incidentId, actor, action: 'runbook-cancel', rationale: parsed.data.rationale?.trim() || `cancel preview ${row.id}`, outcome: 'succeeded', after: { previewId: row.id } });
        await ctx.timeline(trx, { incidentId, type: 'system_action', actor: actor.id, summary: `${actor.name || actor.id} cancelled the preview of ${row.runbook}/${row.step}.`, data: { kind: 'step_cancelled', previewId: row.id }, dedupeKey: `cancel:${row.id}` });
        return { row };
      });
      if ('error' in outcome) throw outcome.error;
      return json({ preview: previewView(outcome.row) });
    },
  };

  const escalation: OperatorRoute = {
    method: 'GET',
    path: '/incidents/:id/escalation',
    async handler({ params }) {
      const incident = await incidentOr404(params.id!);
      const policy = policyFor(ctx.policies, incident);
      const e = incident.escalation;
      const step = Number(e.step);
      const stoppedReason = incident.state === 'resolved' ? 'resolved' : incident.acknowledgedAt ? 'acknowledged' : policy && step >= policy.tiers.length && !e.nextAt ? 'exhausted' : null;
      const notifications = (
        await sql<{ id: string; channel: string; kind: string; transition_key: string; state: string; attempts: number; created_at: string; delivered_at: string | null; last_error: string | null }>`
          SELECT id::text AS id, channel, kind, transition_key, state, attempts, ${isoUtcColumn('created_at')} AS created_at, ${isoUtcColumn('delivered_at')} AS delivered_at, last_error
          FROM parapet_response_outbox WHERE incident_id = ${incident.id}::bigint ORDER BY id DESC LIMIT 50`.execute(store.db)
      ).rows;
      return json({
        policy: policy ? { name: policy.name, ackGraceMs: policy.ackGraceMs, tiers: policy.tiers.map((t, index) => ({ index, targets: [...t.targets], escalateAfterMs: t.escalateAfterMs })) } : null,
        state: {
          step,
          lastTier: step > 0 ? step - 1 : null,
          nextTier: policy && e.nextAt && !e.stopped && step < policy.tiers.length ? step : null,
          nextEscalationAt: e.stopped ? null : e.nextAt,
          suppressedUntil: e.suppressedUntil,
          stopped: e.stopped || stoppedReason !== null,
          stoppedReason,
        },
        notifications: notifications.map((n) => ({ id: n.id, channel: n.channel, kind: n.kind, transition: n.transition_key, state: n.state, attempts: Number(n.attempts), createdAt: n.created_at, deliveredAt: n.delivered_at, lastError: n.last_error })),
      });
    },
  };

  const automation: OperatorRoute = {
    method: 'POST',
    path: '/runbooks/:runbook/automation',
    async handler({ params, actor, body }) {
      const parsed = automationBody.safeParse(body ?? {});
      if (!parsed.success) throw invalid(parsed.error);
      const runbook = ctx.runbooks.find((r) => r.id === params.runbook);
      if (!runbook) throw new ParapetError('NOT_FOUND', `no runbook ${params.runbook} (known: ${ctx.runbooks.map((r) => r.id).join(', ') || 'none'}).`);
      await ctx.engineTx(async (trx) => {
        const before = (await sql<{ automation_enabled: boolean }>`SELECT automation_enabled FROM parapet_response_runbook_setting WHERE runbook = ${runbook.id} FOR UPDATE`.execute(trx)).rows[0];
        await sql`INSERT INTO parapet_response_runbook_setting (runbook, automation_enabled, updated_by, updated_at) VALUES (${runbook.id}, ${parsed.data.enabled}, ${actor.id}, ${iso()}::timestamptz)
          ON CONFLICT (runbook) DO UPDATE SET automation_enabled = excluded.automation_enabled, updated_by = excluded.updated_by, updated_at = excluded.updated_at`.execute(trx);
        await ctx.audit(trx, { incidentId: null, actor, action: 'runbook-automation', rationale: parsed.data.rationale, outcome: 'succeeded', before: { runbook: runbook.id, enabled: before?.automation_enabled ?? true }, after: { runbook: runbook.id, enabled: parsed.data.enabled } });
      });
      return json({ runbook: runbook.id, automation: { enabled: parsed.data.enabled } });
    },
  };

  const health: OperatorRoute = { method: 'GET', path: '/response/health', handler: async () => json(await ctx.health()) };

  return [listRunbooks, preview, confirm, cancel, escalation, automation, health];
}
