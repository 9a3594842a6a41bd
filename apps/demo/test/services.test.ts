// The demo on its real backends: BullMQ when REDIS_URL is reachable, PostgreSQL behind PgBouncer
// (migrations over DATABASE_URL_DIRECT), PGlite on disk (PARAPET_DATA_DIR).
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseUrl, needs, pgbouncerUrl, redisUrl } from '@parapet/vitest-preset/services';
import { createDemoApp, DEMO_USER, type DemoApp, type DemoSettings } from '../src/app.js';
import { fakeWorkbenchBundle } from './fake-bundle.js';

const base: DemoSettings = {
  metricsTokens: ['metrics-token-0123456789'], webhookTokens: ['webhook-token-0123456789'], deployTokens: ['deploy-token-01234567890'],
  operators: [{ actor: 'alice', token: 'alice-token-0123456789' }], trafficRate: 0, workbenchDir: fakeWorkbenchBundle(),
};
let demo: DemoApp | undefined;
afterEach(async () => {
  await demo?.close();
  demo = undefined;
});

async function start(settings: Partial<DemoSettings>, log: string[] = []) {
  demo = await createDemoApp({ ...base, ...settings, log: (line) => log.push(line) });
  const server = await demo.listen(0);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
async function metrics(url: string) {
  return (await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789' } })).text();
}
const incidents = async (url: string) =>
  ((await (await fetch(`${url}/parapet/api/incidents?state=all`, { headers: { authorization: 'Bearer alice-token-0123456789' } })).json()) as { items: unknown[] }).items;

describe.skipIf(!(await needs('redis')))('with REDIS_URL', () => {
  it('runs the receipt-email job on BullMQ, recorded by the @parapet/bullmq integration', async () => {
    const log: string[] = [];
    const url = await start({ redisUrl }, log);
    expect(demo!.jobs.kind).toBe('bullmq');
    expect(log.filter((line) => !line.startsWith('notifications off'))).toEqual([]);
    await fetch(`${url}/checkout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const deadline = Date.now() + 30_000;
    let text = '';
    while (!/parapet_job_runs_total\{queue="emails",job="send-receipt",outcome="completed"[^}]*\} 1/.test(text) && Date.now() < deadline) text = await metrics(url);
    expect(text).toMatch(/parapet_job_runs_total\{queue="emails",job="send-receipt",outcome="completed"[^}]*\} 1/);
    expect(text).toMatch(/parapet_delivery_outbound_total\{[^}]*outcome="provider_accepted"[^}]*\} 1/);
  });
});

describe('with an unreachable REDIS_URL', () => {
  it('says so and runs the jobs in-process', async () => {
    const log: string[] = [];
    await start({ redisUrl: 'redis://127.0.0.1:1' }, log);
    expect(demo!.jobs.kind).toBe('in-process');
    expect(log.join('\n')).toMatch(/REDIS_URL is set but Redis is not reachable .*BullMQ is off/);
  });
});

describe.skipIf(!(await needs('postgres', 'pgbouncer')))('behind PgBouncer', () => {
  it('migrates over DATABASE_URL_DIRECT and serves the API through PgBouncer', async () => {
    const name = `parapet_demo_pgb_${process.pid}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name}`);
      const direct = new URL(databaseUrl);
      direct.pathname = `/${name}`;
      const pooled = new URL(pgbouncerUrl);
      pooled.pathname = `/${name}`;
      const url = await start({ databaseUrl: pooled.toString(), databaseUrlDirect: direct.toString() });
      expect(demo!.evidence.kind).toBe('postgres');
      expect(await incidents(url)).toHaveLength(2);
      await demo!.close();
      demo = undefined;
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await admin.end();
    }
  }, 60_000);
});

describe('PARAPET_DATA_DIR', () => {
  it('keeps incidents across restarts (seeded once)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parapet-demo-pglite-'));
    try {
      let url = await start({ dataDir });
      expect(await incidents(url)).toHaveLength(2);
      await fetch(`${url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO_USER) });
      await demo!.close();
      url = await start({ dataDir });
      expect(demo!.evidence.kind).toBe('pglite');
      expect(await incidents(url)).toHaveLength(2);
    } finally {
      await demo?.close();
      demo = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
