import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { createEvidenceStore } from '@parapet/evidence-pg';
import { needs } from '@parapet/vitest-preset/services';
import { mcpEvidenceExtension, TOOL_NAMES } from '../src/index.js';
import { auditRows, connect, openTarget, seed, type OpenedTarget } from './support.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(repoRoot, 'packages', 'cli', 'bin', 'parapet.mjs');

/** `parapet mcp` as an assistant starts it: a child process speaking MCP on stdin/stdout. */
async function stdioClient(env: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'stdio-test', version: '1.0.0' });
  const inherited = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => typeof e[1] === 'string'));
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [bin, 'mcp'], env: { ...inherited, ...env }, stderr: 'pipe' }));
  return client;
}

async function exercise(client: Client): Promise<void> {
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name).sort()).toEqual([...TOOL_NAMES].sort());
  const list = (await client.callTool({ name: 'list_incidents', arguments: {} })).structuredContent as { incidents: { id: string }[] };
  expect(list.incidents).toHaveLength(2);
  const detail = (await client.callTool({ name: 'get_incident', arguments: { id: list.incidents[1]!.id } })).structuredContent as { found: boolean; audits: { items: unknown[] } };
  expect(detail.found).toBe(true);
  expect(detail.audits.items.length).toBeGreaterThan(0);
  expect((await client.callTool({ name: 'slo_status', arguments: {} })).structuredContent).toMatchObject({ source: 'none', available: false });
  expect(((await client.callTool({ name: 'recent_changes', arguments: { around: '2026-08-20T09:00:00Z' } })).structuredContent as { changes: unknown[] }).changes).toHaveLength(2);
  expect((await client.callTool({ name: 'read_runbook', arguments: { slo: 'checkout-availability' } })).structuredContent).toMatchObject({ found: false });
}

describe('parapet mcp (stdio) on PGlite', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parapet-mcp-'));
    await using store = await createEvidenceStore({ dataDir: dir, extensions: [mcpEvidenceExtension()] });
    await seed(store);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('initializes, lists tools and answers every tool; calls are audited as the local actor', async () => {
    const client = await stdioClient({ DATABASE_URL: `pglite:${dir}`, PARAPET_MCP_ACTOR: 'ada@laptop' });
    try {
      await exercise(client);
    } finally {
      await client.close();
    }
    await using store = await createEvidenceStore({ dataDir: dir, extensions: [mcpEvidenceExtension()] });
    const rows = await auditRows(store);
    expect(rows.map((r) => r.name)).toEqual(['list_incidents', 'get_incident', 'slo_status', 'recent_changes', 'read_runbook']);
    expect(new Set(rows.map((r) => `${r.actor_id} ${r.transport} ${r.client}`))).toEqual(new Set(['ada@laptop stdio stdio-test/1.0.0']));
  }, 90_000);

  it('explains a missing DATABASE_URL on stderr and exits 2', async () => {
    const env = { ...process.env, DATABASE_URL: '' };
    const child = spawn(process.execPath, [bin, 'mcp'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/DATABASE_URL is not set/);
  }, 60_000);
});

describe.runIf(await needs('postgres'))('parapet mcp on PostgreSQL', () => {
  let opened: OpenedTarget;
  beforeAll(async () => {
    opened = await openTarget('postgres');
    await seed(opened.store);
  }, 60_000);
  afterAll(async () => opened?.close());

  it('stdio: answers every tool', async () => {
    const client = await stdioClient({ DATABASE_URL: opened.url! });
    try {
      await exercise(client);
    } finally {
      await client.close();
    }
    expect((await auditRows(opened.store)).every((r) => r.transport === 'stdio' && r.actor_id.length > 0)).toBe(true);
  }, 90_000);

  it('--http: serves on 127.0.0.1 behind PARAPET_MCP_TOKEN', async () => {
    const token = 'a'.repeat(32);
    const child = spawn(process.execPath, [bin, 'mcp', '--http', '--port', '0'], { env: { ...process.env, DATABASE_URL: opened.url!, PARAPET_MCP_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let stderr = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          const m = /serving read-only MCP on (http:\/\/\S+)/.exec(stderr);
          if (m) resolve(m[1]!);
        });
        child.on('close', () => reject(new Error(`parapet mcp --http exited: ${stderr}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
      const client = await connect(url, { token });
      try {
        await exercise(client);
      } finally {
        await client.close();
      }
    } finally {
      child.kill('SIGTERM');
    }
  }, 90_000);

  it('--http refuses to start without a token', async () => {
    const child = spawn(process.execPath, [bin, 'mcp', '--http'], { env: { ...process.env, DATABASE_URL: opened.url!, PARAPET_MCP_TOKEN: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    expect(await new Promise<number | null>((resolve) => child.on('close', resolve))).toBe(2);
    expect(stderr).toMatch(/PARAPET_MCP_TOKEN/);
  }, 60_000);
});
