import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { needs, pgbouncerUrl } from '@parapet/vitest-preset/services';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, payload, receiver, until, withDatabase, type Opened } from './harness.js';

const SECRET = `whsec_${Buffer.from('a-32-byte-secret-for-the-tests!!').toString('base64')}`;
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const available = { postgres: await needs('postgres'), pgbouncer: await needs('postgres', 'pgbouncer') };

function spawnWorker(env: Record<string, string>): ChildProcess {
  return fork(fileURLToPath(new URL('./fixtures/worker-child.ts', import.meta.url)), [], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    execArgv: ['--conditions=parapet-source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

for (const via of ['postgres', 'pgbouncer'] as const) {
  describe.runIf(available[via])(`three processes on one database (${via})`, () => {
    const children: ChildProcess[] = [];
    let opened: Opened | undefined;
    afterEach(async () => {
      for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await opened?.close();
    });

    it('with one process SIGKILLed mid-notification, every notification and escalation is acknowledged and recorded exactly once', async () => {
      opened = await openStore('postgres');
      const url = via === 'pgbouncer' ? withDatabase(pgbouncerUrl, new URL(opened.url!).pathname.slice(1)) : opened.url!;
      // The worker that sends the first request is the victim: from then on the receiver holds
      // every request it sends and never answers, so nothing more is acknowledged to it.
      let victimWorker: string | undefined;
      const workerOf = (r: { path: string }) => r.path.split('/')[1]!;
      const hook = await receiver((r) => {
        victimWorker ??= workerOf(r);
        return workerOf(r) === victimWorker ? 'hold' : { status: 204 };
      });
      const errors: string[] = [];
      const workers = new Map<string, ChildProcess>();
      const webhookIds = (list: readonly { headers: Record<string, unknown> }[]) => list.map((r) => r.headers['webhook-id'] as string);
      const outboxStates = async () =>
        new Map((await sql<{ id: string; state: string; attempts: number }>`SELECT id::text AS id, state, attempts FROM parapet_response_outbox`.execute(opened!.store.db)).rows.map((r) => [`msg_${r.id}`, r]));
      try {
        for (let i = 0; i < 3; i++) {
          const c = spawnWorker({ DATABASE_URL: url, RECEIVER_URL: hook.url(''), SECRET, LEASE_MS: '10000', WORKER: `w${i}` });
          c.on('message', (m: any) => m.error && errors.push(m.error));
          workers.set(`w${i}`, c);
          children.push(c);
        }
        await Promise.all(children.map((c) => new Promise<void>((resolve, reject) => {
          c.on('message', (m: any) => m.ready && resolve());
          c.once('exit', (code) => reject(new Error(`worker exited ${code}`)));
        })));
        const N = 12;
        for (let i = 0; i < N; i++) {
          await opened.store.ingestAlertmanager({ payload: payload([{ fingerprint: `mp${String(i).padStart(14, '0')}`, startsAt: '2026-08-20T08:59:00Z' }]) });
        }
        await until(() => hook.held.length > 0, 'a held request');
        // Nothing was ever acknowledged to the victim (its first request is held), so the kill
        // lands mid-request, never in the window between a 2xx and its commit (README, "exactly once").
        const victim = workers.get(victimWorker!)!;
        victim.kill('SIGKILL');
        await new Promise((r) => victim.once('exit', r));

        await until(async () => [...(await outboxStates()).values()].filter((r) => r.state === 'delivered').length === 2 * N, 'all notifications delivered', 45_000);

        // Each notification was acknowledged exactly once, on each channel once per incident.
        const acked = webhookIds(hook.accepted);
        expect(acked).toHaveLength(2 * N);
        expect(new Set(acked).size).toBe(2 * N);
        const onChannel = (channel: string) => new Set(webhookIds(hook.accepted.filter((r) => r.path.endsWith(`/${channel}`)))).size;
        expect([onChannel('announce'), onChannel('pager')]).toEqual([N, N]);
        // What the victim held when it died was resumed by a survivor after its lease expired:
        // received twice (once unanswered), acknowledged once, claimed twice.
        const heldIds = webhookIds(hook.held.map((h) => h.r));
        expect(heldIds.length).toBeGreaterThan(0);
        const states = await outboxStates();
        for (const id of heldIds) {
          expect(hook.accepted.filter((r) => r.headers['webhook-id'] === id).map(workerOf)).toHaveLength(1);
          expect(hook.accepted.find((r) => r.headers['webhook-id'] === id)!.path).not.toContain(`/${victimWorker}/`);
          expect(states.get(id)!.attempts).toBe(2);
        }
        // Each incident escalated exactly once, and each delivery is on its timeline once.
        const perIncident = await sql<{ escalations: string; notes: string }>`SELECT
            count(*) FILTER (WHERE summary LIKE 'Escalated to tier 1%')::text AS escalations,
            count(*) FILTER (WHERE type = 'notification')::text AS notes
          FROM parapet_timeline GROUP BY incident_id`.execute(opened.store.db);
        expect(perIncident.rows).toHaveLength(N);
        for (const r of perIncident.rows) expect([r.escalations, r.notes]).toEqual(['1', '2']);
        expect(errors).toEqual([]);
      } finally {
        await hook.close();
      }
    });
  });
}
