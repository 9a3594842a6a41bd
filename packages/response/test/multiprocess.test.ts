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

    it('with one process SIGKILLed mid-notification, every notification and escalation is recorded exactly once and delivered, repeated only from the killed sender', async () => {
      opened = await openStore('postgres');
      const url = via === 'pgbouncer' ? withDatabase(pgbouncerUrl, new URL(opened.url!).pathname.slice(1)) : opened.url!;
      // The receiver holds the first request it gets and never answers it: its sender is killed.
      const hook = await receiver((_r, n) => (n === 1 ? 'hold' : { status: 204 }));
      const attempts: { phase: string; id: string; pid: number }[] = [];
      const errors: string[] = [];
      try {
        for (let i = 0; i < 3; i++) {
          const c = spawnWorker({ DATABASE_URL: url, RECEIVER_URL: hook.url(''), SECRET, LEASE_MS: '10000' });
          c.on('message', (m: any) => (m.error ? errors.push(m.error) : m.phase && attempts.push(m)));
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
        const held = await until(() => hook.held[0], 'a held request');
        const heldId = (held.r.headers['webhook-id'] as string).slice('msg_'.length);
        const sender = await until(() => attempts.find((a) => a.phase === 'attempt' && a.id === heldId), 'the attempt of the held request');
        const victim = children.find((c) => c.pid === sender.pid)!;
        victim.kill('SIGKILL');
        await new Promise((r) => victim.once('exit', r));

        await until(async () => {
          const r = await sql<{ n: string }>`SELECT count(*)::text AS n FROM parapet_response_outbox WHERE state = 'delivered'`.execute(opened!.store.db);
          return Number(r.rows[0]!.n) === 2 * N;
        }, 'all notifications delivered', 45_000);

        const ids = hook.accepted.map((a) => a.headers['webhook-id'] as string);
        expect(new Set(ids).size).toBe(2 * N);
        expect(ids).toContain(`msg_${heldId}`);
        const uniqueOn = (path: string) => new Set(hook.accepted.filter((a) => a.path === path).map((a) => a.headers['webhook-id'])).size;
        expect([uniqueOn('/announce'), uniqueOn('/pager')]).toEqual([N, N]);
        // A receiver sees a webhook-id twice only when the killed sender got its 2xx but died
        // before committing it (the window the README documents; receivers dedupe by webhook-id).
        // A delivery owned by a live process is never repeated.
        const killedSent = new Set(attempts.filter((a) => a.pid === victim.pid && a.phase === 'attempt').map((a) => `msg_${a.id}`));
        const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
        for (const id of repeated) expect(killedSent.has(id), `${id} was repeated although a live process sent it`).toBe(true);
        const heldRow = await sql<{ attempts: number }>`SELECT attempts FROM parapet_response_outbox WHERE id = ${heldId}::bigint`.execute(opened.store.db);
        expect(Number(heldRow.rows[0]!.attempts)).toBe(2);
        // Each incident escalated exactly once, and each delivery is on its timeline once.
        const perIncident = await sql<{ escalations: string; notes: string }>`SELECT
            count(*) FILTER (WHERE summary LIKE 'Escalated to tier 1%')::text AS escalations,
            count(*) FILTER (WHERE type = 'notification')::text AS notes
          FROM parapet_timeline GROUP BY incident_id`.execute(opened.store.db);
        expect(perIncident.rows).toHaveLength(N);
        for (const r of perIncident.rows) expect([r.escalations, r.notes]).toEqual(['1', '2']);
        // The killed process's claim was resumed by a survivor.
        const resumedBy = attempts.filter((a) => a.id === heldId && a.phase === 'delivered').map((a) => a.pid);
        expect(resumedBy).toHaveLength(1);
        expect(resumedBy[0]).not.toBe(victim.pid);
        expect(errors).toEqual([]);
      } finally {
        await hook.close();
      }
    });
  });
}
