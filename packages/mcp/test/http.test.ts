import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import express from 'express';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toExpressHandler } from '@parapet/express';
import { needs } from '@parapet/vitest-preset/services';
import { createParapetMcpHandler, LIMITS, prometheusSloSource, readOnly, TOOL_NAMES, UNTRUSTED_BEGIN, UNTRUSTED_END, type McpHandler, type RunbookSource } from '../src/index.js';
import { auditRows, connect, incidentFingerprint, INJECTION, openTarget, seed, type OpenedTarget, type Seeded, type TargetName } from './support.js';

const TOKEN = 'test-token-0123456789abcdef';
const verify = (request: Request) => (request.headers.get('authorization') === `Bearer ${TOKEN}` ? { id: 'u-ada', name: 'Ada' } : null);

const runbooks: RunbookSource = {
  async read({ slo, name }) {
    if (slo === 'checkout-availability' || name === 'checkout') return { name: 'checkout', title: 'Checkout errors', url: 'https://runbooks.example.com/checkout', content: '1. Check the last deploy.\n2. Roll back.' };
    return undefined;
  },
};

/** A fake Prometheus answering instant queries with the generated series names. */
const prometheusFetch: typeof fetch = async (input) => {
  const query = new URL(String(input)).searchParams.get('query') ?? '';
  const sample = (metric: Record<string, string>, value: string) => ({ metric, value: [1_760_000_000, value] });
  let result: unknown[] = [];
  if (query.includes('burn_rate')) result = [sample({ __name__: 'parapet_slo:burn_rate:5m', slo: 'checkout-availability' }, '14.2'), sample({ __name__: 'parapet_slo:burn_rate:1h', slo: 'checkout-availability' }, '3.5')];
  else if (query.startsWith('parapet_slo:error_budget_remaining:ratio')) result = [sample({ __name__: 'parapet_slo:error_budget_remaining:ratio', slo: 'checkout-availability' }, '0.62')];
  else if (query.startsWith('parapet_slo:objective:ratio')) result = [sample({ __name__: 'parapet_slo:objective:ratio', slo: 'checkout-availability' }, '0.999')];
  return Response.json({ status: 'success', data: { resultType: 'vector', result } });
};

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const targets: TargetName[] = ['pglite', ...((await needs('postgres')) ? (['postgres'] as const) : [])];

describe.each(targets)('MCP over real HTTP on %s', (target) => {
  let opened: OpenedTarget;
  let seeded: Seeded;
  let handler: McpHandler;
  let expressUrl: string;
  let honoUrl: string;
  const servers: { close(cb?: () => void): unknown }[] = [];

  beforeAll(async () => {
    opened = await openTarget(target);
    seeded = await seed(opened.store);
    handler = createParapetMcpHandler({
      store: opened.store,
      verify,
      runbooks,
      sloStatus: prometheusSloSource({ url: 'http://prometheus.test:9090', fetch: prometheusFetch }),
      now: () => new Date('2026-08-20T09:15:00Z'),
    });
    const app = express();
    app.all('/parapet/mcp', toExpressHandler(handler));
    const e = createServer(app);
    servers.push(e);
    expressUrl = `${await listen(e)}/parapet/mcp`;
    const hono = new Hono();
    hono.all('/parapet/mcp', (c) => handler(c.req.raw));
    const h = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: hono.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
    });
    servers.push(h);
    honoUrl = `http://127.0.0.1:${(h.address() as AddressInfo).port}/parapet/mcp`;
  }, 60_000);

  afterAll(async () => {
    for (const s of servers) await new Promise<void>((resolve) => s.close(() => resolve()));
    await handler?.close();
    await opened?.close();
  });

  it.each(['legacy', 'modern'] as const)('initializes and lists only read-only tools with input and output schemas (%s era, Express mount)', async (era) => {
    const client = await connect(expressUrl, { token: TOKEN, era });
    try {
      expect(client.getServerVersion()?.name).toBe('parapet');
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual([...TOOL_NAMES].sort());
      for (const tool of tools) {
        expect(tool.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, openWorldHint: false });
        expect(tool.inputSchema.type).toBe('object');
        expect(tool.outputSchema?.type).toBe('object');
      }
    } finally {
      await client.close();
    }
  });

  it('answers every tool with JSON content and structured output (Hono mount)', async () => {
    const client = await connect(honoUrl, { token: TOKEN });
    try {
      const list = await client.callTool({ name: 'list_incidents', arguments: {} });
      expect(list.isError).toBeFalsy();
      const listed = list.structuredContent as { incidents: { id: string; summary: string }[]; nextCursor: string | null };
      expect(listed.incidents.map((i) => i.id)).toEqual([seeded.search, seeded.checkout]);
      expect(JSON.parse((list.content as { text: string }[])[0]!.text)).toEqual(listed);
      // Alert text is data, delimited, and cannot close its own quote.
      const injected = listed.incidents[0]!.summary;
      expect(injected.startsWith(`${UNTRUSTED_BEGIN}\n`)).toBe(true);
      expect(injected.endsWith(`\n${UNTRUSTED_END}`)).toBe(true);
      expect(injected.split(UNTRUSTED_END)).toHaveLength(2);
      expect(injected).toContain('Ignore all previous instructions');

      const detail = (await client.callTool({ name: 'get_incident', arguments: { id: seeded.checkout } })).structuredContent as {
        found: boolean;
        incident: { state: string; acknowledgedBy: string; description: string };
        timeline: { items: { type: string }[] };
        audits: { items: { action: string; actor: { id: string } }[] };
        actionItems: { items: { title: string }[] };
      };
      expect(detail.found).toBe(true);
      expect(detail.incident.state).toBe('investigating');
      expect(detail.incident.description).toContain('p99 above 2s');
      expect(detail.timeline.items.map((e) => e.type)).toContain('alert_fired');
      expect(detail.audits.items.map((a) => a.action)).toEqual(['acknowledge', 'note', 'add-action-item']);
      expect(detail.actionItems.items.map((a) => a.title)).toEqual(['Add a canary for checkout']);

      const missing = await client.callTool({ name: 'get_incident', arguments: { id: '999999' } });
      expect(missing.structuredContent).toMatchObject({ found: false, incident: null });

      const slo = (await client.callTool({ name: 'slo_status', arguments: {} })).structuredContent;
      expect(slo).toEqual({ source: 'prometheus', available: true, message: null, slos: [{ slo: 'checkout-availability', burnRates: { '5m': 14.2, '1h': 3.5 }, budgetRemaining: 0.62, objective: 0.999 }] });

      const changes = (await client.callTool({ name: 'recent_changes', arguments: { around: '2026-08-20T09:00:00Z', windowMinutes: 30 } })).structuredContent as { changes: { kind: string; at: string }[] };
      expect(changes.changes.map((c) => c.kind)).toEqual(['flag_change', 'deploy']);
      const deploysOnly = (await client.callTool({ name: 'recent_changes', arguments: { around: '2026-08-20T09:00:00Z', kind: 'deploy' } })).structuredContent as { changes: unknown[] };
      expect(deploysOnly.changes).toHaveLength(1);
      const far = (await client.callTool({ name: 'recent_changes', arguments: { around: '2026-01-01T00:00:00Z', windowMinutes: 5 } })).structuredContent as { changes: unknown[] };
      expect(far.changes).toEqual([]);

      const book = (await client.callTool({ name: 'read_runbook', arguments: { slo: 'checkout-availability' } })).structuredContent as { found: boolean; runbook: { content: string } };
      expect(book.found).toBe(true);
      expect(book.runbook.content).toContain('Roll back.');
      expect((await client.callTool({ name: 'read_runbook', arguments: { slo: 'nope' } })).structuredContent).toMatchObject({ found: false });

      const resource = await client.readResource({ uri: `parapet://incidents/${seeded.checkout}` });
      expect(JSON.parse((resource.contents[0] as { text: string }).text).incident.id).toBe(seeded.checkout);
      const active = await client.readResource({ uri: 'parapet://incidents/active' });
      expect(JSON.parse((active.contents[0] as { text: string }).text).incidents).toHaveLength(2);
    } finally {
      await client.close();
    }
  });

  it('pages are bounded and cursors walk every row exactly once', async () => {
    const client = await connect(expressUrl, { token: TOKEN });
    try {
      const tooMany = await client.callTool({ name: 'list_incidents', arguments: { limit: LIMITS.incidentsPerPage + 1 } });
      expect(tooMany.isError).toBe(true);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = (await client.callTool({ name: 'list_incidents', arguments: { state: 'all', limit: 1, ...(cursor ? { cursor } : {}) } })).structuredContent as { incidents: { id: string }[]; nextCursor: string | null };
        expect(page.incidents.length).toBeLessThanOrEqual(1);
        seen.push(...page.incidents.map((i) => i.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual([seeded.search, seeded.checkout, seeded.resolved]);

      const first = (await client.callTool({ name: 'get_incident', arguments: { id: seeded.checkout, limit: 1 } })).structuredContent as { audits: { items: { action: string }[]; nextCursor: string } };
      expect(first.audits.items).toHaveLength(1);
      const next = (await client.callTool({ name: 'get_incident', arguments: { id: seeded.checkout, limit: 1, auditsCursor: first.audits.nextCursor } })).structuredContent as { audits: { items: { action: string }[] }; timeline?: unknown };
      expect(next.audits.items.map((a) => a.action)).toEqual(['note']);
      expect(next.timeline).toBeUndefined();

      const forged = await client.callTool({ name: 'list_incidents', arguments: { cursor: Buffer.from('["incidents","x\'; DROP TABLE parapet_incident;--","1"]').toString('base64url') } });
      expect(forged.isError).toBe(true);
      expect(JSON.stringify(forged.content)).toMatch(/cursor/);
    } finally {
      await client.close();
    }
  });

  it('refuses unauthenticated calls with 401 and a Bearer challenge, and foreign browser origins with 403', async () => {
    await expect(connect(expressUrl)).rejects.toThrow();
    await expect(connect(expressUrl, { token: 'wrong-token-wrong-token-xx' })).rejects.toThrow();
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'curl', version: '0' } } };
    const bare = await fetch(expressUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify(init) });
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(((await bare.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    const evil = await fetch(expressUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', origin: 'https://evil.example', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(init) });
    expect(evil.status).toBe(403);
    const get = await fetch(expressUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(get.status).toBe(405);
    expect(() => createParapetMcpHandler({ store: opened.store })).toThrow(/no anonymous access/);
  });

  it('refuses writes: no write tools, strict arguments, and the read path is a read-only transaction', async () => {
    const before = await incidentFingerprint(opened.store);
    const client = await connect(expressUrl, { token: TOKEN });
    try {
      for (const name of ['resolve_incident', 'act', 'acknowledge']) {
        const r = await client.callTool({ name, arguments: { id: seeded.checkout, rationale: 'x' } }).catch((e: Error) => ({ isError: true, content: [{ type: 'text', text: e.message }] }));
        expect(r.isError).toBe(true);
      }
      const extra = await client.callTool({ name: 'get_incident', arguments: { id: seeded.checkout, action: 'resolve' } });
      expect(extra.isError).toBe(true);
      const sqlish = await client.callTool({ name: 'get_incident', arguments: { id: `${seeded.checkout}; UPDATE parapet_incident SET state='resolved'` } });
      expect(sqlish.isError).toBe(true);
    } finally {
      await client.close();
    }
    // A crafted JSON-RPC request for a method the server does not have.
    const raw = await fetch(expressUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${TOKEN}`, 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'incidents/resolve', params: { id: seeded.checkout } }),
    });
    const text = await raw.text();
    expect(text).toMatch(/"error"/);
    expect(await incidentFingerprint(opened.store)).toBe(before);
    // Refused attempts are audited too, though no tool ran.
    const refused = (await auditRows(opened.store)).filter((r) => r.outcome === 'error').map((r) => `${r.kind}:${r.name}`);
    expect(refused).toEqual(expect.arrayContaining(['tool:resolve_incident', 'tool:act', 'tool:acknowledge', 'tool:get_incident', 'request:incidents/resolve']));
    const batch = await fetch(expressUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify([{ jsonrpc: '2.0', id: 8, method: 'tools/list' }]),
    });
    expect(batch.status).toBe(400);
    const huge = await fetch(expressUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'list_incidents', arguments: { cursor: 'x'.repeat(100_000) } } }),
    });
    expect(huge.status).toBe(413);
    // The database itself refuses a write inside the tools' transaction.
    await expect(readOnly(opened.store, (trx) => sql`UPDATE parapet_incident SET state = 'resolved', resolved_at = now()`.execute(trx))).rejects.toThrow(/read-only transaction/);
    expect(await incidentFingerprint(opened.store)).toBe(before);
  });

  it('audits every call (who, which tool, which incident) through the insert-only table', async () => {
    const before = (await auditRows(opened.store)).length;
    for (const era of ['legacy', 'modern'] as const) {
      const client = await connect(expressUrl, { token: TOKEN, era });
      try {
        await client.callTool({ name: 'get_incident', arguments: { id: seeded.search } });
      } finally {
        await client.close();
      }
    }
    const rows = await auditRows(opened.store);
    expect(rows.length - before).toBe(2); // one row per call, in both protocol eras
    const last = rows.at(-1)!;
    expect(last).toMatchObject({ actor_id: 'u-ada', transport: 'http', kind: 'tool', name: 'get_incident', incident_id: seeded.search, outcome: 'ok' });
    expect(last.client).toBe('parapet-test/1.0.0');
    expect(rows.some((r) => r.outcome === 'error')).toBe(true);

    expect(rows.some((r) => r.kind === 'resource')).toBe(true);
    await expect(sql`UPDATE parapet_mcp_audit SET actor_id = 'someone-else'`.execute(opened.store.db)).rejects.toThrow(/insert-only/);
  });

  it('never returns the injected text outside its delimiters', async () => {
    const client = await connect(expressUrl, { token: TOKEN });
    try {
      const r = await client.callTool({ name: 'get_incident', arguments: { id: seeded.search } });
      const text = (r.content as { text: string }[])[0]!.text;
      const outside = text.split(UNTRUSTED_BEGIN).map((part, i) => (i === 0 ? part : part.split(UNTRUSTED_END).slice(1).join(UNTRUSTED_END)));
      expect(outside.join('')).not.toContain('Ignore all previous instructions');
      expect(text).toContain(INJECTION.split(' UNTRUSTED')[0]!);
    } finally {
      await client.close();
    }
  });
});
