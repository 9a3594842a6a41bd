import * as z from 'zod';
import { ParapetError, parseOptions } from '@parapet/core/integration';
import type { EscalationPolicy, Runbook, RunbookMatch } from './types.js';

const id = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, "-" or "_" (URL-safe)');
const names = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const runbookSchema = z.strictObject({
  id,
  title: z.string().min(1),
  description: z.string().optional(),
  match: z.strictObject({ slo: names.optional(), alertname: names.optional() }).refine((m) => m.slo !== undefined || m.alertname !== undefined, 'give slo and/or alertname'),
  steps: z
    .array(
      z.strictObject({
        id,
        title: z.string().min(1),
        guidance: z.string(),
        capability: z.string().min(1).optional(),
        automatic: z.strictObject({ severities: z.array(z.string()).optional(), slos: z.array(z.string()).optional() }).optional(),
      }),
    )
    .min(1),
  breaker: z.strictObject({ limit: z.number().int().positive(), windowMs: z.number().int().positive() }).optional(),
});

/** Validates a runbook (unknown keys, ids, automatic steps without a capability) and returns it. */
export function defineRunbook(runbook: Runbook): Runbook {
  const parsed = parseOptions(runbookSchema, runbook, `defineRunbook(${JSON.stringify((runbook as { id?: string })?.id ?? '?')})`) as Runbook;
  const seen = new Set<string>();
  for (const step of parsed.steps) {
    if (seen.has(step.id)) throw new ParapetError('INVALID_OPTIONS', `defineRunbook(${parsed.id}): step id "${step.id}" is used twice; step ids must be unique within a runbook.`);
    seen.add(step.id);
    if (step.automatic && !step.capability) throw new ParapetError('INVALID_OPTIONS', `defineRunbook(${parsed.id}): step "${step.id}" is automatic but has no capability; only capability steps can run by themselves.`);
  }
  return parsed;
}

const list = (v: string | readonly string[] | undefined): readonly string[] | undefined => (v === undefined ? undefined : typeof v === 'string' ? [v] : v);

/** How a runbook matched an incident, or undefined. */
export function matchRunbook(runbook: Runbook, incident: { slo: string | null; alertname: string }): { slo: string | null; alertname: string | null } | undefined {
  const m: RunbookMatch = runbook.match;
  const slo = incident.slo !== null && list(m.slo)?.includes(incident.slo) ? incident.slo : null;
  const alertname = list(m.alertname)?.includes(incident.alertname) ? incident.alertname : null;
  return slo !== null || alertname !== null ? { slo, alertname } : undefined;
}

/** The first policy matching the incident (by slo and severity), or undefined. */
export function policyFor(policies: readonly EscalationPolicy[], incident: { slo: string | null; severity: string | null }): EscalationPolicy | undefined {
  return policies.find((p) => {
    const slo = list(p.match?.slo);
    const severity = list(p.match?.severity);
    return (!slo || (incident.slo !== null && slo.includes(incident.slo))) && (!severity || (incident.severity !== null && severity.includes(incident.severity)));
  });
}

/**
 * Built-in guidance for the common async/delivery failures. Each is a guidance → mitigation →
 * verify runbook; the mitigation step names a capability the host registers (until it does, the
 * step shows as `unavailable` and the guidance still reads). Attach them to your slices:
 *
 * ```ts
 * runbooks: [runbookTemplates.deadLetters({ slo: 'email_delivery' })]
 * ```
 */
export const runbookTemplates = {
  deadLetters: (match: RunbookMatch, capability = 'requeue_dead_letters'): Runbook =>
    defineRunbook({
      id: 'dead-letters',
      title: 'Dead letters are piling up',
      description: 'Messages fail permanently and land in the dead-letter queue.',
      match,
      steps: [
        { id: 'inspect', title: 'Read the newest dead letters', guidance: 'Open the dead-letter queue and group the last failures by error. One error class dominating means one cause: a bad deploy, a schema change, an expired credential. Check the deploy markers on this timeline first.' },
        { id: 'requeue', title: 'Requeue the dead letters', guidance: 'Only once the cause is fixed: requeueing into the same failure doubles the damage. Preview shows how many messages and how old they are.', capability },
        { id: 'verify', title: 'Verify the queue drains', guidance: 'Watch the dead-letter count fall and the SLO burn rate return under 1 before resolving.' },
      ],
    }),
  stalledWorkers: (match: RunbookMatch, capability = 'restart_stalled_workers'): Runbook =>
    defineRunbook({
      id: 'stalled-workers',
      title: 'Workers stopped making progress',
      description: 'Jobs are claimed but not completed: workers hang, crash-loop or lost their connection.',
      match,
      steps: [
        { id: 'inspect', title: 'Find the stalled jobs', guidance: 'List jobs active longer than their usual duration and the workers holding them. A single job type points at a poison message; every type points at the worker pool or its dependency (Redis, the database).' },
        { id: 'restart', title: 'Release stalled jobs and restart workers', guidance: 'Releases the stalled claims so healthy workers retry them.', capability },
        { id: 'verify', title: 'Verify throughput recovers', guidance: 'Completed jobs per minute should return to the baseline within a few minutes.' },
      ],
    }),
  providerOutage: (match: RunbookMatch, capability = 'request_provider_check'): Runbook =>
    defineRunbook({
      id: 'provider-outage',
      title: 'An upstream provider is failing',
      description: "Calls to a third-party provider (email, payments, SMS) fail or time out.",
      match,
      steps: [
        { id: 'status', title: "Check the provider's status page", guidance: "Compare the error start time with the provider's status page and your deploy markers. Provider-wide 5xx or timeouts with no deploy of yours: it is theirs." },
        { id: 'failover', title: 'Fail over or pause sending', guidance: 'Switch to the secondary provider, or pause non-urgent sends so retries do not pile up.', capability },
        { id: 'verify', title: 'Verify deliveries resume', guidance: 'Success ratio back above the objective; drain the backlog before resolving.' },
      ],
    }),
  callbackDelay: (match: RunbookMatch): Runbook =>
    defineRunbook({
      id: 'callback-delay',
      title: 'Provider callbacks are late',
      description: 'Webhooks/callbacks from a provider arrive late or not at all, so deliveries look stuck.',
      match,
      steps: [
        { id: 'ingress', title: 'Check the webhook endpoint', guidance: 'Look at the webhook route: 4xx means a signature or secret problem (rotated secret?), no traffic means the provider stopped sending or DNS/TLS broke.' },
        { id: 'provider', title: "Check the provider's delivery log", guidance: 'Most providers show failed webhook attempts and let you replay them.' },
        { id: 'verify', title: 'Verify callbacks arrive', guidance: 'The callback delay histogram returns to its usual buckets.' },
      ],
    }),
  backlogDrain: (match: RunbookMatch, capability = 'scale_workers'): Runbook =>
    defineRunbook({
      id: 'backlog-drain',
      title: 'A backlog is not draining',
      description: 'The queue grows faster than workers complete it.',
      match,
      steps: [
        { id: 'rate', title: 'Compare arrival and completion rates', guidance: 'A spike in arrivals (a batch job, a retry storm) or a drop in completions (slow dependency) — the fix differs.' },
        { id: 'scale', title: 'Add workers or shed load', guidance: 'Scale the worker pool, or pause the producer of the spike.', capability },
        { id: 'verify', title: 'Verify the backlog shrinks', guidance: 'Queue depth falls steadily; oldest job age falls under the objective.' },
      ],
    }),
} as const;
