import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAlertmanagerWebhook } from '@parapet/evidence-pg';
import { needs } from '@parapet/vitest-preset/services';
import { afterEach, describe, expect, it } from 'vitest';
import { createResponseEngine, defineRunbook, slackNotifier, teamsNotifier, webhookNotifier, type Capability, type ResponseEngineOptions } from '../src/index.js';
import { api, manualClock, openStore, other, payload, receiver, responder, until, viewer, type Opened, type TargetName } from './harness.js';

const SECRET = `whsec_${Buffer.from('a-32-byte-secret-for-the-tests!!').toString('base64')}`;
const available: Record<TargetName, boolean> = { pglite: true, postgres: await needs('postgres') };

function requeue(calls: string[]): Capability {
  return {
    name: 'requeue_dead_letters',
    validate: ({ input }) => (input.refuse ? 'the queue is paused' : undefined),
    // A host that tries to overwrite Parapet's own fields gets them ignored.
    preview: () => ({ effect: { summary: 'requeue 41 messages from checkout.dlq', data: { count: 41 }, id: 'evil', expiresAt: '2999-01-01T00:00:00Z', actor: 'mallory' } as never, warnings: ['3 messages are older than 24 h'] }),
    execute: ({ idempotencyKey }) => {
      calls.push(idempotencyKey);
      return { summary: 'requeued 41 messages', data: { requeued: 41 } };
    },
  };
}

const deadLetters = defineRunbook({
  id: 'dead-letters',
  title: 'Dead letters are piling up',
  match: { slo: 'checkout_availability' },
  steps: [
    { id: 'inspect', title: 'Read the dead letters', guidance: 'Group by error.' },
    { id: 'requeue', title: 'Requeue', guidance: 'Once fixed.', capability: 'requeue_dead_letters' },
  ],
});

for (const target of ['pglite', 'postgres'] as const) {
  describe.runIf(available[target])(`@parapet/response on ${target}`, () => {
    const cleanup: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const c of cleanup.splice(0).reverse()) await c();
    });

    async function setup(extra: Partial<ResponseEngineOptions> = {}, opened?: Opened) {
      const clock = manualClock();
      const o = opened ?? (await openStore(target, { now: clock.now }));
      if (!opened) cleanup.push(() => o.close());
      const slack = await receiver();
      const teams = await receiver(() => ({ status: 202 }));
      const hook = await receiver(() => ({ status: 204 }));
      cleanup.push(() => slack.close(), () => teams.close(), () => hook.close());
      const calls: string[] = [];
      const engine = await createResponseEngine({
        store: o.store,
        publicBaseUrl: 'https://ops.example.com/parapet/',
        now: clock.now,
        runbooks: [deadLetters],
        capabilities: [requeue(calls)],
        notifiers: [slackNotifier({ name: 'slack-incidents', url: slack.url('/slack') }), teamsNotifier({ name: 'teams-leads', url: teams.url('/teams') }), webhookNotifier({ name: 'pager', url: hook.url('/hook'), secret: SECRET })],
        policies: [{ name: 'checkout', ackGraceMs: 300_000, announce: ['slack-incidents'], tiers: [{ targets: ['pager'], escalateAfterMs: 600_000 }, { targets: ['teams-leads'], escalateAfterMs: 900_000 }] }],
        ...extra,
      });
      cleanup.push(() => engine.close());
      const { call } = api(o.store, engine.routes);
      return { o, store: o.store, clock, engine, call, slack, teams, hook, calls };
    }

    async function open(store: Opened['store'], fingerprint = 'fp00000000000001', labels: Record<string, string> = {}) {
      const r = await store.ingestAlertmanager({ payload: payload([{ fingerprint, startsAt: '2026-08-20T08:59:00Z', labels }]) });
      return r.incidentIds[0]!;
    }

    it('preview → confirm executes once; a second confirm, another actor and an expired preview are refused', async () => {
      const { store, call, calls, clock } = await setup();
      const id = await open(store);

      const list = await call('GET', `/incidents/${id}/runbooks`, undefined, viewer);
      expect(list.status).toBe(200);
      expect(list.body.runbooks.map((r: any) => [r.id, r.matchedBy, r.steps.map((s: any) => [s.id, s.kind, s.status])])).toEqual([
        ['dead-letters', { slo: 'checkout_availability', alertname: null }, [['inspect', 'guidance', 'guidance'], ['requeue', 'capability', 'available']]],
      ]);

      expect((await call('POST', `/incidents/${id}/runbooks/dead-letters/steps/inspect/preview`)).body.error.details.reason).toBe('guidance_only');
      const refused = await call('POST', `/incidents/${id}/runbooks/dead-letters/steps/requeue/preview`, { input: { refuse: true } });
      expect([refused.status, refused.body.error.details.reason]).toEqual([409, 'precondition_failed']);
      expect((await call('POST', `/incidents/${id}/runbooks/dead-letters/steps/requeue/preview`, {}, viewer)).status).toBe(403);

      const made = await call('POST', `/incidents/${id}/runbooks/dead-letters/steps/requeue/preview`, { rationale: 'queue depth 41' });
      expect(made.status).toBe(201);
      const p = made.body.preview;
      expect(p.id).toMatch(/^pv_/);
      expect(p.actor).toBe('u-ada');
      expect(p.effect).toEqual({ summary: 'requeue 41 messages from checkout.dlq', data: { count: 41 } });
      expect(p.warnings).toEqual(['3 messages are older than 24 h']);
      expect(Date.parse(p.expiresAt) - clock.ms).toBe(300_000);
      expect((await call('GET', `/incidents/${id}/runbooks`)).body.runbooks[0].steps[1].status).toBe('previewed');

      const stolen = await call('POST', `/incidents/${id}/previews/${p.id}/confirm`, { rationale: 'mine now' }, other);
      expect([stolen.status, stolen.body.error.code, stolen.body.error.details.reason]).toEqual([409, 'CONFLICT', 'other_actor']);
      expect((await call('POST', `/incidents/${id}/previews/${p.id}/confirm`, {})).status).toBe(400);

      const ok = await call('POST', `/incidents/${id}/previews/${p.id}/confirm`, { rationale: 'cause fixed in v2.3.1' });
      expect(ok.status).toBe(200);
      expect(ok.body.execution).toMatchObject({ previewId: p.id, actor: 'u-ada', automatic: false, status: 'succeeded', report: { summary: 'requeued 41 messages', data: { requeued: 41 } } });
      expect(calls).toEqual([p.id]);

      const again = await call('POST', `/incidents/${id}/previews/${p.id}/confirm`, { rationale: 'again' });
      expect([again.status, again.body.error.details.reason, again.body.error.details.executionId]).toEqual([409, 'already_confirmed', ok.body.execution.id]);
      expect(calls).toHaveLength(1);

      const second = (await call('POST', `/incidents/${id}/runbooks/dead-letters/steps/requeue/preview`, {})).body.preview;
      clock.advance(300_001);
      const expired = await call('POST', `/incidents/${id}/previews/${second.id}/confirm`, { rationale: 'late' });
      expect([expired.status, expired.body.error.code, expired.body.error.details.reason]).toEqual([410, 'GONE', 'expired']);
      expect(calls).toHaveLength(1);
      expect((await call('POST', `/incidents/${id}/previews/pv_nope/confirm`, { rationale: 'x' })).status).toBe(404);

      const detail = (await store.getIncident({ id }))!;
      const kinds = detail.timeline.filter((t) => t.type === 'system_action').map((t) => (t.data as any).kind);
      expect(kinds).toEqual(expect.arrayContaining(['step_previewed', 'step_confirmed', 'step_executed']));
      const audits = detail.audits.map((a) => [a.action, a.outcome]);
      expect(audits).toEqual(expect.arrayContaining([['runbook-preview', 'succeeded'], ['runbook-confirm', 'succeeded'], ['runbook-execute', 'succeeded'], ['runbook-confirm', 'rejected']]));
      const steps = (await call('GET', `/incidents/${id}/runbooks`)).body.runbooks[0].steps;
      expect(steps[1]).toMatchObject({ status: 'succeeded', lastExecution: { status: 'succeeded', previewId: p.id } });
    });

    if (target === 'postgres') it('ten concurrent confirms of one preview: exactly one executes', async () => {
      const { store, call, calls } = await setup();
      const id = await open(store);
      const p = (await call('POST', `/incidents/${id}/runbooks/dead-letters/steps/requeue/preview`, {})).body.preview;
      const results = await Promise.all(Array.from({ length: 10 }, () => call('POST', `/incidents/${id}/previews/${p.id}/confirm`, { rationale: 'go' })));
      expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
      expect(calls).toEqual([p.id]);
    });

    it('escalation: announce at once, tier 1 after the ack grace, tier 2 after its delay, then stops on acknowledge', async () => {
      const { store, engine, clock, slack, hook, teams, call } = await setup();
      const id = await open(store);
      await store.ingestAlertmanager({ payload: payload([{ fingerprint: 'fp00000000000001', startsAt: '2026-08-20T08:59:00Z' }]) }); // re-delivery
      let r = await engine.tick();
      expect(r).toMatchObject({ events: 1, escalations: 0, delivered: 1 });
      expect(slack.accepted).toHaveLength(1);
      expect(hook.accepted).toHaveLength(0);
      const esc = (await call('GET', `/incidents/${id}/escalation`)).body;
      expect(esc.state).toMatchObject({ step: 0, nextTier: 0, nextEscalationAt: '2026-08-20T09:05:00.000000Z', stopped: false });

      clock.advance(299_000);
      expect((await engine.tick()).escalations).toBe(0);
      clock.advance(1_000);
      r = await engine.tick();
      expect(r).toMatchObject({ escalations: 1, delivered: 1 });
      expect(hook.accepted).toHaveLength(1);
      expect(JSON.parse(hook.accepted[0]!.body).data).toMatchObject({ kind: 'escalation', tier: 1, url: `https://ops.example.com/parapet/incidents/${id}` });

      clock.advance(600_000);
      r = await engine.tick();
      expect(r).toMatchObject({ escalations: 1, delivered: 1 });
      expect(teams.accepted).toHaveLength(1);
      clock.advance(3_600_000);
      expect((await engine.tick()).escalations).toBe(0); // no tier left

      // A second incident acknowledged during the grace: nobody is paged.
      const id2 = await open(store, 'fp00000000000002');
      await engine.tick();
      await store.act({ incidentId: id2, action: 'acknowledge', actor: responder, rationale: 'on it' });
      clock.advance(3_600_000);
      r = await engine.tick();
      expect(r.escalations).toBe(0);
      expect(hook.accepted).toHaveLength(1);
      const state = (await call('GET', `/incidents/${id2}/escalation`)).body.state;
      expect(state).toMatchObject({ stopped: true, stoppedReason: 'acknowledged', nextEscalationAt: null });
      const entries = (await store.getIncident({ id }))!.timeline.map((t) => t.summary);
      expect(entries.filter((s) => s.startsWith('Escalated to tier'))).toHaveLength(2);
      expect(entries.filter((s) => s.startsWith('Notified'))).toHaveLength(3);
      // Slack got exactly: opened(1), opened(2), acknowledged(2).
      expect(slack.accepted.map((a) => JSON.parse(a.body).text.split(']')[0])).toEqual(['[FIRING', '[FIRING', '[ACKNOWLEDGED']);
    });

    it('escalate now and suppress-until go through the audited operator API; suppression holds after a reload', async () => {
      const dir = target === 'pglite' ? mkdtempSync(join(tmpdir(), 'parapet-response-')) : undefined;
      const clock = manualClock();
      let opened = await openStore(target, { now: clock.now, dataDir: dir });
      const url = opened.url;
      try {
        let { engine, call, hook } = await setup({ now: clock.now }, opened);
        const id = await open(opened.store);
        await engine.tick();
        const now = await call('POST', `/incidents/${id}/escalate`, { rationale: 'customer escalation' });
        expect(now.status).toBe(200);
        await engine.tick();
        expect(hook.accepted).toHaveLength(1);
        const sup = await call('POST', `/incidents/${id}/suppress-escalation`, { rationale: 'maintenance window', until: '2026-08-20T11:00:00Z' });
        expect(sup.status).toBe(200);
        await engine.close();

        // Reload: a new store and engine on the same database.
        if (target === 'pglite') {
          await opened.close();
          opened = await openStore(target, { now: clock.now, dataDir: dir });
        } else {
          const first = opened;
          const again = await openStore('postgres', { now: clock.now, url });
          opened = { ...again, close: async () => { await again.close(); await first.close(); } }; // first.close() drops the database
        }
        ({ engine, call, hook } = await setup({ now: clock.now }, opened));
        clock.set('2026-08-20T10:30:00Z'); // tier 2 was due at 09:10, suppressed until 11:00
        expect((await engine.tick()).escalations).toBe(0);
        expect(hook.accepted).toHaveLength(0);
        clock.set('2026-08-20T11:00:00Z');
        expect((await engine.tick()).escalations).toBe(1);
        const audits = (await opened.store.getIncident({ id }))!.audits.map((a) => a.action);
        expect(audits).toEqual(expect.arrayContaining(['escalate', 'suppress-escalation']));
      } finally {
        await opened.close().catch(() => {});
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    });

    it('one notification per transition: re-deliveries through the Alertmanager webhook do not notify again; resolve notifies once', async () => {
      const { store, engine, slack } = await setup();
      const webhook = createAlertmanagerWebhook({ store, tokens: ['am-token-0123456789abcdef'] });
      const deliver = async (p: unknown) => expect((await webhook(new Request('http://app/parapet/alertmanager', { method: 'POST', headers: { authorization: 'Bearer am-token-0123456789abcdef', 'content-type': 'application/json' }, body: JSON.stringify(p) }))).status).toBe(200);
      for (let i = 0; i < 3; i++) await deliver(payload([{ fingerprint: 'fp00000000000009', startsAt: '2026-08-20T08:59:00Z' }]));
      await engine.tick();
      await engine.tick();
      expect(slack.accepted).toHaveLength(1);
      for (let i = 0; i < 2; i++) await deliver(payload([{ fingerprint: 'fp00000000000009', status: 'resolved', startsAt: '2026-08-20T08:59:00Z', endsAt: '2026-08-20T09:00:00Z' }]));
      await engine.tick();
      expect(slack.accepted.map((a) => JSON.parse(a.body).text.split(']')[0])).toEqual(['[FIRING', '[RESOLVED']);
    });

    it('refuses a delivery timeout that outlives the lease, and a policy naming an unknown channel', async () => {
      await expect(setup({ leaseMs: 5_000 })).rejects.toThrow(/delivery.timeoutMs \(10000\) must be below leaseMs \(5000\)/);
      await expect(setup({ policies: [{ name: 'p', ackGraceMs: 0, tiers: [{ targets: ['sms'], escalateAfterMs: 1 }] }] })).rejects.toThrow(/names channel "sms", but no notifier has that name/);
    });

    it('one failing transition does not block the others; it is reported and retried on the next tick', async () => {
      const errors: unknown[] = [];
      let broken = true;
      const { store, engine, slack } = await setup({ incidentUrl: (id) => { if (broken && id === '1') throw new Error('boom'); return `https://ops.example.com/i/${id}`; }, onError: (e) => errors.push(e) });
      await open(store, 'pz00000000000001');
      await open(store, 'pz00000000000002');
      expect((await engine.tick()).delivered).toBe(1);
      expect(errors.map(String)).toEqual(['Error: boom']);
      broken = false;
      expect((await engine.tick()).delivered).toBe(1);
      expect(slack.accepted).toHaveLength(2);
    });

    it("evidence-pg's archiver removes a resolved incident together with its response rows", async () => {
      const { store, engine, call, clock } = await setup();
      const id = await open(store);
      const p = (await call('POST', `/incidents/${id}/runbooks/dead-letters/steps/requeue/preview`, {})).body.preview;
      await call('POST', `/incidents/${id}/previews/${p.id}/confirm`, { rationale: 'go' });
      await store.act({ incidentId: id, action: 'resolve', actor: responder, rationale: 'fixed' });
      await engine.tick();
      clock.advance(2 * 86_400_000);
      const report = await store.archive({ olderThanMs: 86_400_000, exportAudits: () => {} });
      expect(report.incidents).toBe(1);
      expect(await store.getIncident({ id })).toBeUndefined();
      const { sql } = await import('kysely');
      const left = await sql<{ n: string }>`SELECT (SELECT count(*) FROM parapet_response_outbox) + (SELECT count(*) FROM parapet_response_preview) + (SELECT count(*) FROM parapet_response_execution) AS n`.execute(store.db);
      expect(Number(left.rows[0]!.n)).toBe(0);
    });

    it('429 with Retry-After is honoured; the outcome lands on the timeline', async () => {
      const slow = await receiver((_r, n) => (n === 1 ? { status: 429, headers: { 'retry-after': '120' }, body: 'rate_limited' } : { status: 200, body: 'ok' }));
      cleanup.push(() => slow.close());
      const { store, engine, clock } = await setup({ notifiers: [slackNotifier({ name: 'slack-incidents', url: slow.url('/s') }), webhookNotifier({ name: 'pager', url: slow.url('/p'), secret: SECRET }), teamsNotifier({ name: 'teams-leads', url: slow.url('/t') })] });
      const id = await open(store);
      let r = await engine.tick();
      expect(r).toMatchObject({ retried: 1, delivered: 0 });
      clock.advance(119_000);
      r = await engine.tick();
      expect(slow.received).toHaveLength(1);
      clock.advance(1_000);
      r = await engine.tick();
      expect(r.delivered).toBe(1);
      expect(slow.received).toHaveLength(2);
      const note = (await store.getIncident({ id }))!.timeline.find((t) => t.type === 'notification')!;
      expect(note.summary).toBe('Notified slack-incidents (opened) — HTTP 200 after 2 attempts.');
    });

    it('permanent failures are given up, counted by channel and put on the timeline', async () => {
      const gone = await receiver(() => ({ status: 404, body: 'no_service' }));
      cleanup.push(() => gone.close());
      const { store, engine } = await setup({ notifiers: [slackNotifier({ name: 'slack-incidents', url: gone.url('/s') }), webhookNotifier({ name: 'pager', url: gone.url('/p'), secret: SECRET }), teamsNotifier({ name: 'teams-leads', url: gone.url('/t') })] });
      const id = await open(store);
      expect((await engine.tick()).failed).toBe(1);
      expect((await engine.health()).failuresByChannel).toEqual({ 'slack-incidents': 1, pager: 0, 'teams-leads': 0 });
      const note = (await store.getIncident({ id }))!.timeline.find((t) => t.type === 'notification')!;
      expect(note.summary).toBe('Notification to slack-incidents (opened) failed: HTTP 404: no_service');
    });

    it('the generic webhook is signed per Standard Webhooks; the receiver verifies it with node:crypto alone', async () => {
      const { store, engine, clock, hook } = await setup();
      await open(store);
      await engine.tick();
      clock.advance(300_000);
      await engine.tick();
      const req = hook.accepted[0]!;
      const id = req.headers['webhook-id'] as string;
      const ts = req.headers['webhook-timestamp'] as string;
      const [version, sig] = (req.headers['webhook-signature'] as string).split(',');
      const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
      const expected = createHmac('sha256', key).update(`${id}.${ts}.${req.body}`).digest();
      expect(version).toBe('v1');
      expect(timingSafeEqual(Buffer.from(sig!, 'base64'), expected)).toBe(true);
      expect(Number(ts)).toBe(Math.floor(clock.ms / 1000));
      expect(id).toMatch(/^msg_\d+$/);
    });

    it('automatic steps run as the system actor; the breaker counts executions only, trips and escalates; operators can disable automation', async () => {
      const auto = defineRunbook({ ...deadLetters, id: 'auto-requeue', breaker: { limit: 2, windowMs: 3_600_000 }, steps: [{ id: 'requeue', title: 'Requeue', guidance: '', capability: 'requeue_dead_letters', automatic: { severities: ['page'] } }] });
      const { store, engine, call, calls, hook } = await setup({ runbooks: [auto] });
      const first = await open(store, 'fa00000000000001');
      // Previews by operators are not executions: they do not count towards the breaker.
      for (let i = 0; i < 3; i++) expect((await call('POST', `/incidents/${first}/runbooks/auto-requeue/steps/requeue/preview`, {})).status).toBe(201);
      await engine.tick();
      expect(calls).toHaveLength(1);
      const exec = (await store.getIncident({ id: first }))!.timeline.find((t) => (t.data as any).kind === 'step_executed')!;
      expect(exec.actor).toBe('system');
      expect(exec.summary).toContain('run by Parapet automation (automatic)');

      await open(store, 'fa00000000000002');
      await engine.tick();
      expect(calls).toHaveLength(2);
      const third = await open(store, 'fa00000000000003');
      await engine.tick();
      expect(calls).toHaveLength(2);
      const detail = (await store.getIncident({ id: third }))!;
      expect(detail.timeline.map((t) => (t.data as any).kind)).toEqual(expect.arrayContaining(['breaker_tripped', 'escalation']));
      expect(detail.incident.escalation.step).toBe(1);
      expect(hook.accepted.map((a) => JSON.parse(a.body).data.incidentId)).toContain(third);
      const view = (await call('GET', `/incidents/${third}/runbooks`)).body.runbooks[0].automation;
      expect(view).toEqual({ enabled: true, breaker: { open: true, executions: 2, limit: 2, windowMs: 3_600_000 } });

      const off = await call('POST', '/runbooks/auto-requeue/automation', { enabled: false, rationale: 'flapping' });
      expect(off.body).toEqual({ runbook: 'auto-requeue', automation: { enabled: false } });
      const fourth = await open(store, 'fa00000000000004');
      await engine.tick();
      expect(calls).toHaveLength(2);
      expect((await store.getIncident({ id: fourth }))!.timeline.map((t) => (t.data as any).kind)).toContain('automation_disabled');
    });

    it('a capability failure is recorded as failed with its report', async () => {
      let fail = true;
      const flaky: Capability = { name: 'requeue_dead_letters', preview: () => ({ effect: { summary: 'requeue' } }), execute: () => {
        if (fail) throw new Error('broker unreachable');
        return { summary: 'done' };
      } };
      const { store, call } = await setup({ capabilities: [flaky] });
      const id = await open(store);
      const p = (await call('POST', `/incidents/${id}/runbooks/dead-letters/steps/requeue/preview`, {})).body.preview;
      const res = await call('POST', `/incidents/${id}/previews/${p.id}/confirm`, { rationale: 'try' });
      expect(res.body.execution).toMatchObject({ status: 'failed', report: { summary: 'broker unreachable' } });
      fail = false;
      expect((await store.getIncident({ id }))!.audits.find((a) => a.action === 'runbook-execute')!.outcome).toBe('rejected');
    });

    it('an execution whose process stopped is resumed after its lease with the same idempotency key; the late owner cannot overwrite it', async () => {
      const keys: string[] = [];
      let release: (() => void) | undefined;
      const hanging: Capability = {
        name: 'requeue_dead_letters',
        preview: () => ({ effect: { summary: 'requeue' } }),
        execute: ({ idempotencyKey }) => {
          keys.push(idempotencyKey);
          if (keys.length === 1) return new Promise((r) => (release = () => r({ summary: 'late first run' })));
          return { summary: 'resumed run' };
        },
      };
      const auto = defineRunbook({ ...deadLetters, id: 'auto', steps: [{ id: 'requeue', title: 'Requeue', guidance: '', capability: 'requeue_dead_letters', automatic: {} }] });
      const a = await setup({ runbooks: [auto], capabilities: [hanging], leaseMs: 30_000, owner: 'process-a' });
      const id = await open(a.store);
      const stuck = a.engine.tick(); // process A claims the execution and hangs in execute()
      await until(() => keys.length === 1, 'the first execute() call');
      const b = await createResponseEngine({ store: a.store, publicBaseUrl: 'https://ops.example.com', now: a.clock.now, runbooks: [auto], capabilities: [hanging], owner: 'process-b', leaseMs: 30_000 });
      cleanup.push(() => b.close());
      expect((await b.tick()).executions).toBe(0); // lease still held
      a.clock.advance(30_001);
      expect((await b.tick()).executions).toBe(1);
      expect(keys).toHaveLength(2);
      expect(keys[1]).toBe(keys[0]);
      release!();
      await stuck;
      const done = (await a.store.getIncident({ id }))!.timeline.filter((t) => (t.data as any).kind === 'step_executed');
      expect(done.map((t) => t.summary)).toEqual([expect.stringContaining('resumed run')]);
    });

    it('health and metrics: outbox lag and escalation lag', async () => {
      const down = await receiver(() => ({ status: 503 }));
      cleanup.push(() => down.close());
      const { store, engine, clock, call } = await setup({ notifiers: [slackNotifier({ name: 'slack-incidents', url: down.url('/s') }), webhookNotifier({ name: 'pager', url: down.url('/p'), secret: SECRET }), teamsNotifier({ name: 'teams-leads', url: down.url('/t') })] });
      const { Registry } = await import('prom-client');
      const { createResponseMetrics } = await import('../src/index.js');
      const registry = new Registry();
      await createResponseMetrics({ registry, engine, channels: ['slack-incidents'] });
      await open(store);
      await engine.tick();
      clock.advance(60_000);
      const h = await engine.health();
      expect(h.outbox).toEqual({ pending: 1, oldestPendingAgeSeconds: 60 });
      const text = await registry.metrics();
      expect(text).toContain('parapet_response_outbox_lag_seconds 60');
      expect(text).toContain('parapet_response_notification_failures_total{channel="slack-incidents"} 1');
      // Escalation lag: due at 09:05, nobody ticks until 09:07.
      clock.set('2026-08-20T09:07:00Z');
      expect((await engine.health()).escalationLagSeconds).toBe(120);
      expect((await call('GET', '/response/health', undefined, viewer)).body).toEqual({ outbox: { pending: 1, oldestPendingAgeSeconds: 420 }, failuresByChannel: { 'slack-incidents': 0, pager: 0, 'teams-leads': 0 }, escalationLagSeconds: 120 });
    });
  });
}
