import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParapetMcpHandler, LIMITS, type McpHandler } from '../src/index.js';
import { openTarget, type OpenedTarget } from './support.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '@parapet/core/integration';
import { connect } from './support.js';

const TOKEN = 'scale-token-0123456789abcdef';

describe('a 10,000-incident store', () => {
  let opened: OpenedTarget;
  let handler: McpHandler;
  let url: string;
  let close: () => Promise<void>;
  let busy: string;

  beforeAll(async () => {
    opened = await openTarget('pglite');
    const db = opened.store.db;
    await sql`INSERT INTO parapet_incident (state, correlation_key, fingerprint, alertname, severity, slo, service, labels, annotations, opened_at, resolved_at)
      SELECT CASE WHEN g % 4 = 0 THEN 'resolved' ELSE 'open' END, 'k' || g, 'f' || g, 'HighErrorRate', 'page', 'slo-' || (g % 7), 'svc-' || (g % 5),
             jsonb_build_object('instance', 'i' || g), jsonb_build_object('summary', repeat('long alert text ', 500)),
             timestamptz '2026-08-01T00:00:00Z' + g * interval '1 minute',
             CASE WHEN g % 4 = 0 THEN timestamptz '2026-08-01T00:00:00Z' + g * interval '1 minute' + interval '5 minutes' END
      FROM generate_series(1, 10000) g`.execute(db);
    busy = (await sql<{ id: string }>`SELECT id::text AS id FROM parapet_incident ORDER BY id DESC LIMIT 1`.execute(db)).rows[0]!.id;
    await sql`INSERT INTO parapet_timeline (incident_id, type, at, summary, data)
      SELECT ${busy}::bigint, 'note', timestamptz '2026-08-10T00:00:00Z' + g * interval '1 second', 'note ' || g, jsonb_build_object('blob', repeat('x', 10000))
      FROM generate_series(1, 1000) g`.execute(db);
    await sql`INSERT INTO parapet_system_event (kind, at, service, summary, data, dedupe_key)
      SELECT 'deploy', timestamptz '2026-08-07T22:00:00Z' + g * interval '1 second', 'svc', 'deploy ' || g, '{}'::jsonb, 'd' || g
      FROM generate_series(1, 5000) g`.execute(db);
    handler = createParapetMcpHandler({ store: opened.store, verify: (r) => (r.headers.get('authorization') === `Bearer ${TOKEN}` ? { id: 'scale' } : null) });
    const server = createServer(toNodeHandler(handler));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
    close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  }, 120_000);

  afterAll(async () => {
    await close?.();
    await handler?.close();
    await opened?.close();
  });

  it('every answer is bounded: pages, texts and timeline data are capped', async () => {
    const client = await connect(url, { token: TOKEN });
    try {
      const r = await client.callTool({ name: 'list_incidents', arguments: { state: 'all', limit: LIMITS.incidentsPerPage } });
      const page = r.structuredContent as { incidents: { summary: string }[]; nextCursor: string | null };
      expect(page.incidents).toHaveLength(LIMITS.incidentsPerPage);
      expect(page.nextCursor).not.toBeNull();
      for (const i of page.incidents) expect(i.summary.length).toBeLessThan(LIMITS.textChars + 200);
      expect(JSON.stringify(r).length).toBeLessThan(2 * 1024 * 1024);

      const filtered = (await client.callTool({ name: 'list_incidents', arguments: { slo: 'slo-3', service: 'svc-1', limit: 5 } })).structuredContent as { incidents: { slo: string; service: string; state: string }[] };
      expect(filtered.incidents).toHaveLength(5);
      expect(filtered.incidents.every((i) => i.slo === 'slo-3' && i.service === 'svc-1' && i.state !== 'resolved')).toBe(true);

      const detail = await client.callTool({ name: 'get_incident', arguments: { id: busy, sections: ['timeline'] } });
      const d = detail.structuredContent as { timeline: { items: { data: Record<string, unknown> }[]; nextCursor: string | null } };
      expect(d.timeline.items).toHaveLength(50);
      expect(d.timeline.nextCursor).not.toBeNull();
      expect(d.timeline.items.every((e) => e.data._truncated === true)).toBe(true);
      expect(JSON.stringify(detail).length).toBeLessThan(1024 * 1024);

      const changes = (await client.callTool({ name: 'recent_changes', arguments: { around: '2026-08-08T00:00:00Z', windowMinutes: 10_080, limit: LIMITS.changesPerPage } })).structuredContent as { changes: unknown[]; nextCursor: string | null };
      expect(changes.changes).toHaveLength(LIMITS.changesPerPage);
      expect(changes.nextCursor).not.toBeNull();
    } finally {
      await client.close();
    }
  });
});
