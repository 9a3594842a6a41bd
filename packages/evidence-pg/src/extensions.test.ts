import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createEvidenceStore, createOperatorApiHandler } from './index.js';
import { payload, responder, viewer } from '../test/fixtures.js';

describe('extension points', () => {
  it('extension routes live under the same /api with the same authorize, CSRF and error body', async () => {
    await using store = await createEvidenceStore();
    const api = createOperatorApiHandler({
      store,
      authorize: (r) => (r.headers.get('x-user') === 'ada' ? responder : r.headers.get('x-user') === 'vic' ? viewer : null),
      routes: [
        { method: 'GET', path: '/incidents/:id/preview', handler: ({ params, actor }) => Response.json({ id: params.id, by: actor.id }) },
        { method: 'POST', path: '/incidents/:id/confirm', handler: ({ body, actor }) => Response.json({ body, by: actor.id }) },
      ],
    });
    const get = await api(new Request('http://ops/api/incidents/7/preview', { headers: { 'x-user': 'vic' } }));
    expect(await get.json()).toEqual({ id: '7', by: 'u-vic' });
    expect((await api(new Request('http://ops/api/incidents/7/preview'))).status).toBe(401);
    const post = (user: string, headers: Record<string, string> = {}) =>
      api(new Request('http://ops/api/incidents/7/confirm', { method: 'POST', headers: { 'x-user': user, 'content-type': 'application/json', ...headers }, body: '{"step":1}' }));
    expect(await (await post('ada')).json()).toEqual({ body: { step: 1 }, by: 'u-ada' });
    expect((await post('vic')).status).toBe(403);
    expect((await post('ada', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' })).status).toBe(403);
  });

  it('the archiver trims idempotency keys, finished claims and extension tables by their retention', async () => {
    let now = Date.parse('2026-08-20T10:00:00Z');
    await using store = await createEvidenceStore({
      now: () => new Date(now),
      extensions: [
        {
          name: 'mcp',
          migrations: { '0001_audit': { up: async (db) => void (await db.schema.createTable('parapet_mcp_audit').addColumn('id', 'serial', (c) => c.primaryKey()).addColumn('at', 'timestamptz', (c) => c.notNull()).execute()) } },
          retention: [{ table: 'parapet_mcp_audit', column: 'at', maxAgeMs: 86_400_000 }],
        },
      ],
    });
    const id = (await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: 'ex00000000000001', startsAt: '2026-08-20T09:00:00Z' }] }) })).incidentIds[0]!;
    await store.act({ incidentId: id, action: 'note', actor: responder, rationale: 'x', idempotencyKey: 'k1' });
    await store.claim({ key: 'once', owner: 'p1', leaseMs: 1000 });
    await store.completeClaim({ key: 'once', owner: 'p1' });
    await sql`INSERT INTO parapet_mcp_audit (at) VALUES ('2026-08-18T00:00:00Z'), ('2026-08-20T09:00:00Z')`.execute(store.db);
    now += 2 * 86_400_000;
    const dry = await store.archive({ olderThanMs: 86_400_000, dryRun: true });
    expect(dry.other).toEqual({ parapet_idempotency: 1, parapet_claim: 1, parapet_system_event: 0, parapet_mcp_audit: 2 });
    const done = await store.archive({ olderThanMs: 86_400_000, exportAudits: () => {} });
    expect(done.other).toEqual(dry.other);
    expect(done.incidents).toBe(0);
    expect((await store.getIncident({ id }))!.incident.state).toBe('open');
  });

  it('keeps an embedded PGlite database in a data directory across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parapet-pglite-'));
    try {
      {
        await using store = await createEvidenceStore({ dataDir: dir });
        await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: 'dd00000000000001', startsAt: '2026-08-20T09:00:00Z' }] }) });
      }
      await using again = await createEvidenceStore({ dataDir: dir });
      expect(again.migrations.results).toEqual([]);
      expect((await again.listIncidents()).items.map((i) => i.fingerprint)).toEqual(['dd00000000000001']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects unknown options with a did-you-mean', async () => {
    await expect(createEvidenceStore({ corelateBy: 'groupKey' } as never)).rejects.toThrow(/unknown option "corelateBy" \(did you mean "correlateBy"\?\)/);
  });
});
