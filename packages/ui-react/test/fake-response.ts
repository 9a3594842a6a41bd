import type { OperatorRoute } from '@parapet/evidence-pg';
import type { EvidenceStore } from '@parapet/evidence-pg';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const conflict = (reason: string, message: string) => json({ error: { code: 'CONFLICT', message, details: { reason } } }, 409);

/**
 * Stand-ins for the routes @parapet/response adds (same paths and shapes as its
 * packages/response/src/routes.ts), so the workbench's runbook panel is tested without that package.
 */
export function fakeResponseRoutes(store: () => EvidenceStore): { routes: OperatorRoute[]; confirms: () => number } {
  const previews = new Map<string, { state: 'pending' | 'confirmed' | 'cancelled'; actor: string; incidentId: string }>();
  let confirms = 0;
  let automationEnabled = true;
  let last: { status: string; report: { summary: string }; startedAt: string; actor: string } | null = null;
  const routes: OperatorRoute[] = [
    {
      method: 'GET',
      path: '/incidents/:id/runbooks',
      handler: ({ params }) =>
        json({
          incidentId: params.id,
          runbooks: [
            {
              id: 'checkout-dlq',
              title: 'Checkout dead letters',
              description: 'When payment webhooks pile up in the dead-letter queue.',
              matchedBy: { slo: 'checkout_availability', alertname: null },
              automation: { enabled: automationEnabled, breaker: { open: false, executions: 0, limit: 3, windowMs: 3_600_000 } },
              steps: [
                { id: 'look', index: 0, title: 'Check the provider status page', guidance: 'https://status.stripe.com — is it them?', kind: 'guidance', capability: null, automatic: null, status: 'guidance', activePreview: null, lastExecution: null },
                { id: 'requeue', index: 1, title: 'Requeue dead letters', guidance: null, kind: 'capability', capability: { name: 'bullmq.requeue', registered: true }, automatic: { severities: ['page'], slos: null }, status: last ? last.status : 'available', activePreview: null, lastExecution: last ? { id: '1', previewId: 'p', incidentId: params.id, runbook: 'checkout-dlq', step: 'requeue', actor: last.actor, automatic: false, status: last.status, startedAt: last.startedAt, finishedAt: last.startedAt, report: last.report } : null },
              ],
            },
          ],
        }),
    },
    {
      method: 'POST',
      path: '/incidents/:id/runbooks/:runbook/steps/:step/preview',
      handler: ({ params, actor }) => {
        const id = `pv-${previews.size + 1}`;
        previews.set(id, { state: 'pending', actor: actor.id, incidentId: params.id! });
        return json({ preview: { id, incidentId: params.id, runbook: params.runbook, step: params.step, capability: 'bullmq.requeue', actor: actor.id, effect: { summary: 'requeue 41 jobs from checkout.dlq', data: { queue: 'checkout.dlq', jobs: 41 } }, warnings: ['<b>3 jobs</b> are older than 24 h'], state: 'pending', createdAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 300_000).toISOString() } }, 201);
      },
    },
    {
      method: 'POST',
      path: '/incidents/:id/previews/:preview/confirm',
      handler: async ({ params, actor, body }) => {
        const p = previews.get(params.preview!);
        if (!p) return json({ error: { code: 'NOT_FOUND', message: 'no preview' } }, 404);
        if (!(body as { rationale?: string })?.rationale) return json({ error: { code: 'INVALID_REQUEST', message: 'rationale: rationale is required.' } }, 400);
        if (p.state === 'confirmed') return conflict('already_confirmed', `preview ${params.preview} was already confirmed; each preview runs once.`);
        p.state = 'confirmed';
        confirms += 1;
        last = { status: 'succeeded', report: { summary: 'requeued 41 jobs' }, startedAt: new Date().toISOString(), actor: actor.id };
        await store().recordTimelineEntry({ incidentId: params.id!, type: 'system_action', summary: `${actor.name} confirmed checkout-dlq/requeue: requeue 41 jobs from checkout.dlq`, dedupeKey: `confirm:${params.preview}` });
        return json({ execution: { id: '1', status: 'succeeded', report: last.report } });
      },
    },
    {
      method: 'POST',
      path: '/runbooks/:runbook/automation',
      handler: ({ params, body }) => {
        const b = body as { enabled?: boolean; rationale?: string };
        if (!b?.rationale) return json({ error: { code: 'INVALID_REQUEST', message: 'rationale: rationale is required.' } }, 400);
        automationEnabled = b.enabled === true;
        return json({ runbook: params.runbook, automation: { enabled: automationEnabled } });
      },
    },
    {
      method: 'GET',
      path: '/incidents/:id/escalation',
      handler: () =>
        json({
          policy: { name: 'payments', ackGraceMs: 300_000, tiers: [{ index: 0, targets: ['payments-primary'], escalateAfterMs: 300_000 }, { index: 1, targets: ['payments-secondary', 'eng-manager'], escalateAfterMs: 900_000 }] },
          state: { step: 1, lastTier: 0, nextTier: 1, nextEscalationAt: new Date(Date.now() + 600_000).toISOString(), suppressedUntil: null, stopped: false, stoppedReason: null },
          notifications: [{ id: '1', channel: 'slack', kind: 'page', state: 'delivered', attempts: 2, createdAt: new Date().toISOString(), deliveredAt: new Date().toISOString(), lastError: null }],
        }),
    },
    {
      method: 'POST',
      path: '/incidents/:id/previews/:preview/cancel',
      handler: ({ params }) => {
        const p = previews.get(params.preview!);
        if (p) p.state = 'cancelled';
        return json({ preview: { id: params.preview, state: 'cancelled' } });
      },
    },
  ];
  return { routes, confirms: () => confirms };
}
