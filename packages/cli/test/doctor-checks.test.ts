// Each static doctor check on a fixture that triggers it and on one that passes. Checks run
// in-process (one check per run); the bin, the exit codes and --json are in doctor-cli.test.ts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { needs } from '@parapet/vitest-preset/services';
import { createTestDatabase, type TestDatabase } from '@parapet/vitest-preset/databases';
import { alertmanagerPayload } from '@parapet/vitest-preset/alertmanager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { editEntry } from '../src/install/codemod.js';
import { CHECKS, FINDING_IDS } from '../src/doctor/registry.js';
import { runChecks } from '../src/doctor/run.js';
import { doctorContext } from '../src/doctor/context.js';
import { removeScratch, repoRoot } from '../src/test-support.js';
import { checkFixture, checkIn, copyFixture, fixtureWith, workspaceAlias } from './doctor-support.js';

afterAll(removeScratch);
const hasPostgres = await needs('postgres');

describe('config checks', () => {
  it('config-load: a config importing a misspelled package is an error that names the package; a good one loads', async () => {
    const bad = await checkFixture('config-load', 'trigger');
    expect(bad.status).toBe('error');
    expect(bad.message).toContain('@parapet/starter-pack-web-sass');
    expect(bad.fix).toMatch(/npm install @parapet\/starter-pack-web-sass|correct the import/);
    expect(bad.docs).toBe('docs/troubleshooting.md#config-load');
    expect((await checkFixture('config-load', 'pass')).status).toBe('info');
  });

  it('slices-valid: an objective of 150 is an error naming the slice and field; the starter pack validates', async () => {
    const bad = await checkFixture('slices-valid', 'trigger');
    expect(bad.status).toBe('error');
    expect(bad.details?.join('\n')).toMatch(/checkout_availability[\s\S]*objective/);
    const good = await checkFixture('slices-valid', 'pass');
    expect(good.status).toBe('info');
    expect(good.message).toContain('web_saas_login_journey');
  });

  it('runbook-urls: example.com runbooks are a warning listing every slice; your own wiki passes', async () => {
    const bad = await checkFixture('runbook-urls', 'trigger');
    expect(bad.status).toBe('warn');
    expect(bad.details).toContain('web_saas_login_journey: https://example.com/runbooks/login-journey');
    expect(bad.details).toHaveLength(4);
    expect((await checkFixture('runbook-urls', 'pass')).status).toBe('info');
  });

  it('rules-drift: rules from an older config are an error listing changed and stale files; freshly generated rules pass', async () => {
    const bad = await checkFixture('rules-drift', 'trigger');
    expect(bad.status).toBe('error');
    expect(bad.details).toContain('rules.yml: differs from the config');
    expect(bad.details).toContain('recording_rules.yml: missing');
    const dir = copyFixture('rules-drift', 'pass');
    expect((await checkIn('rules-drift', dir)).status).toBe('skip'); // nothing generated yet
    const io = { cwd: dir, stdout: () => {}, stderr: () => {} };
    expect(await main(['gen', 'prometheus'], io, { load: { alias: workspaceAlias } })).toBe(0);
    const good = await checkIn('rules-drift', dir);
    expect(good.status, good.message).toBe('info');
  });
});

describe('source checks (the entry file)', () => {
  it('metrics-route: an app without /metrics is an error; app.get("/metrics", metricsHandler()) passes', async () => {
    const bad = await checkFixture('metrics-route', 'trigger');
    expect(bad.status).toBe('error');
    expect(bad.message).toContain('src/server.ts mounts no Parapet metrics endpoint');
    const good = await checkFixture('metrics-route', 'pass');
    expect(good.status).toBe('info');
    expect(good.message).toContain('/metrics (src/server.ts:7)');
    // An app the doctor cannot read and that imports no @parapet package is not wired: an error, not a skip.
    const unwired = await checkFixture('metrics-route', 'unwired');
    expect(unwired.status).toBe('error');
    expect(unwired.message).toContain('src/server.ts imports no @parapet package');
    // The fix is what the installer writes, with the framework's own adapter.
    expect(bad.fix).toBe("Add app.get('/metrics', metricsHandler()) (import { metricsHandler } from '@parapet/express'), or run npx @parapet/cli install.");
    const hono = fixtureWith('metrics-route', 'trigger', () => "import { Hono } from 'hono';\nimport { attach } from '@parapet/core';\nattach();\nconst app = new Hono();\nexport default app;\n");
    const honoFinding = await checkIn('metrics-route', hono);
    expect(honoFinding.fix).toBe("Add app.get('/metrics', metricsHandler()) (import { metricsHandler } from '@parapet/hono'), or run npx @parapet/cli install.");
    for (const [framework, code] of [['express', "import express from 'express';\nconst app = express();\n"], ['hono', "import { Hono } from 'hono';\nconst app = new Hono();\n"]] as const) {
      const installed = editEntry(code, 'src/server.ts', framework, { moduleSystem: 'esm', language: 'ts', features: {} });
      expect(installed.status === 'edited' && installed.code).toContain("app.get('/metrics', metricsHandler());");
      expect(installed.status === 'edited' && installed.code).toContain(`import { instrument, metricsHandler } from '@parapet/${framework}';`);
    }
  });

  it('metrics-token: public: true is an error with its line; the default (token from the environment) passes', async () => {
    const bad = await checkFixture('metrics-token', 'trigger');
    expect(bad.status).toBe('error');
    expect(bad.message).toContain('src/server.ts:7');
    expect((await checkFixture('metrics-token', 'pass')).status).toBe('info');
  });

  it('production-token: the variable the Hono app reads, set nowhere, is a warning; .env.production with a long token passes; a short one is an error', async () => {
    const bad = await checkFixture('production-token', 'trigger');
    expect(bad.status).toBe('warn');
    expect(bad.details?.[0]).toContain('METRICS_SCRAPE_TOKEN');
    expect((await checkFixture('production-token', 'pass')).status).toBe('info');
    const weak = await checkFixture('production-token', 'trigger', { env: { METRICS_SCRAPE_TOKEN: 'secret' } });
    expect(weak.status).toBe('error');
    expect(weak.details?.[0]).toContain('shorter than 16 characters');
  });

  it('operator-auth: an authorize that admits everyone is an error; the installer\'s deny-all stub a warning; a per-request authorize (a function declaration) passes', async () => {
    const bad = await checkFixture('operator-auth', 'trigger');
    expect(bad.status).toBe('error');
    expect(bad.details).toEqual(['src/server.ts:8: authorize returns an actor for every request: anyone can acknowledge, resolve and annotate incidents']);
    const good = await checkFixture('operator-auth', 'pass');
    expect(good.status, JSON.stringify(good)).toBe('info');
    expect(good.message).toBe('The operator API decides per request in authorize. The workbench (src/server.ts:18) reads everything through it.');
    const dir = fixtureWith('operator-auth', 'trigger', (code) => code.replace("authorize: () => ({ id: 'admin', name: 'admin', role: 'responder' })", 'authorize: async (_request) => null'));
    const stub = await checkIn('operator-auth', dir);
    expect(stub.status).toBe('warn');
    expect(stub.details?.[0]).toContain("authorize denies every request (the installer's stub)");
  });

  it('webhook-raw-body: Stripe and Resend webhooks after express.json() are an error per route; mounted before it they pass', async () => {
    const bad = await checkFixture('webhook-raw-body', 'trigger');
    expect(bad.status).toBe('error');
    expect(bad.details).toEqual([
      'src/server.ts:15: stripe-webhook at /webhooks/stripe is mounted after the body parser at src/server.ts:14',
      'src/server.ts:16: mailer-webhook at /webhooks/resend is mounted after the body parser at src/server.ts:14',
    ]);
    expect((await checkFixture('webhook-raw-body', 'pass')).status).toBe('info');
  });

  it("webhook-route: the installer's config without --webhook (alerts to an unmounted route) is a warning; a Hono app serving the URL's path passes", async () => {
    const bad = await checkFixture('webhook-route', 'trigger');
    expect(bad.status, bad.message).toBe('warn');
    expect(bad.message).toContain('alertmanager.webhookUrl (http://localhost:3000/parapet/alertmanager) posts every alert to /parapet/alertmanager, but src/server.ts mounts no Alertmanager webhook');
    expect(bad.fix).toContain('npx @parapet/cli install --webhook');
    const good = await checkFixture('webhook-route', 'pass');
    expect(good.status, good.message).toBe('info');
    expect(good.message).toContain('/hooks/alertmanager (src/server.ts:8)');
    // Mounted, but not where the URL points: still a warning, naming where it is.
    const moved = await checkIn('webhook-route', fixtureWith('webhook-route', 'pass', (code) => code.replace("'/hooks/alertmanager'", "'/alerts'")));
    expect(moved.status).toBe('warn');
    expect(moved.details).toEqual(['src/server.ts:8: the webhook is mounted at /alerts']);
  });

  it('mcp-origin: an MCP endpoint on every interface with default origins is a warning; allowedHosts + allowedOrigins pass', async () => {
    const bad = await checkFixture('mcp-origin', 'trigger');
    expect(bad.status).toBe('warn');
    expect(bad.message).toContain('src/server.ts:11 all interfaces');
    expect((await checkFixture('mcp-origin', 'pass')).status).toBe('info');
  });

  it('source checks skip, with the reason, when there is no entry file', async () => {
    const finding = await checkFixture('node-version', 'pass').then(() => checkIn('metrics-route', copyFixture('node-version', 'pass')));
    expect(finding.status).toBe('skip');
    expect(finding.message).toContain('No entry file found');
  });
});

describe('environment checks', () => {
  it('node-version: an installed @parapet package needing node >=99 is an error naming it; the workspace packages pass', async () => {
    const bad = await checkFixture('node-version', 'trigger');
    expect(bad.status).toBe('error');
    expect(bad.details).toEqual(['@parapet/core@9.0.0 needs node >=99.0.0']);
    expect((await checkFixture('node-version', 'pass')).status).toBe('info');
  });

  it('teams-connector: a webhook.office.com URL is an error with file:line and the path hidden; a Workflows URL passes', async () => {
    const bad = await checkFixture('teams-connector', 'trigger');
    expect(bad.status).toBe('error');
    expect(bad.details).toEqual(['src/notifiers.ts:6: https://acmecorp.webhook.office.com/…']);
    expect((await checkFixture('teams-connector', 'pass')).status).toBe('info');
    const fromEnv = await checkFixture('teams-connector', 'pass', { env: { TEAMS_URL: 'https://outlook.office.com/webhook/abc' } });
    expect(fromEnv.details).toEqual(['environment variable TEAMS_URL']);
  });
});

describe('database checks', () => {
  it('pgbouncer-migrations: a PgBouncer URL (port 6432) is an error; the direct URL passes; no URL skips', async () => {
    const dir = copyFixture('node-version', 'pass');
    const bad = await checkIn('pgbouncer-migrations', dir, { options: { databaseUrl: 'postgres://app@db.internal:6432/app' } });
    expect(bad.status).toBe('error');
    expect(bad.message).toContain("port 6432 is PgBouncer's default port");
    expect((await checkIn('pgbouncer-migrations', dir, { env: { DATABASE_URL: 'postgres://app@db.internal:5432/app' } })).status).toBe('info');
    expect((await checkIn('pgbouncer-migrations', dir)).status).toBe('skip');
  });

  it('pglite-version: a data directory of PostgreSQL 17 (PGlite 0.3) is an error; one written by the installed PGlite passes', async () => {
    const bad = await checkFixture('pglite-version', 'trigger', { options: { databaseUrl: 'pglite:./parapet-data' } });
    expect(bad.status, bad.message).toBe('error');
    expect(bad.message).toMatch(/PostgreSQL 17, catalog 202406281.*@electric-sql\/pglite 0\.5\.\d+ uses catalog/);
    // Found without a URL too: the entry file's createEvidenceStore({ dataDir: process.env.PARAPET_DATA_DIR ?? './parapet-data' }).
    const fromSource = await checkFixture('pglite-version', 'trigger');
    expect(fromSource.status, fromSource.message).toBe('error');
    expect(fromSource.message).toContain('parapet-data was written by another PGlite version');
    const elsewhere = await checkFixture('pglite-version', 'trigger', { env: { PARAPET_DATA_DIR: './nothing-here' } });
    expect(elsewhere.status).toBe('skip');
    expect(elsewhere.message).toContain('nothing-here is not a PGlite data directory yet');
    const dir = copyFixture('pglite-version', 'pass');
    const { PGlite } = await import('@electric-sql/pglite');
    const db = new PGlite(join(dir, 'parapet-data'));
    await db.query('select 1');
    await db.close();
    expect((await checkIn('pglite-version', dir, { options: { databaseUrl: 'pglite:./parapet-data' } })).status).toBe('info');
  });

  describe.skipIf(!hasPostgres)('on PostgreSQL', () => {
    let empty: TestDatabase;
    let migrated: TestDatabase;
    beforeAll(async () => {
      [empty, migrated] = await Promise.all([createTestDatabase('doctor_empty'), createTestDatabase('doctor_migrated')]);
      const evidence = await import('@parapet/evidence-pg');
      const pool = new pg.Pool({ connectionString: migrated.url });
      const report = await evidence.migrateEvidenceDatabase({ database: pool });
      await pool.end();
      expect(report.error).toBeUndefined();
    });
    afterAll(async () => {
      await Promise.all([empty?.drop(), migrated?.drop()]);
    });

    it('migrations-applied: an empty database is an error listing the pending migrations; a migrated one passes', async () => {
      const dir = copyFixture('node-version', 'pass');
      const bad = await checkIn('migrations-applied', dir, { options: { databaseUrl: empty.url } });
      expect(bad.status).toBe('error');
      expect(bad.details).toContain('pending: evidence/0001_spine');
      const good = await checkIn('migrations-applied', dir, { options: { databaseUrl: migrated.url } });
      expect(good.status, good.message).toBe('info');
      const down = await checkIn('migrations-applied', dir, { options: { databaseUrl: 'postgres://nobody@127.0.0.1:1/none' } });
      expect(down.status).toBe('error');
      expect(down.message).toContain('Cannot reach the evidence database');
    });

    it('watchdog-heartbeat: none yet is a warning, an hour-old one an error, one just delivered through the webhook passes', async () => {
      const dir = copyFixture('node-version', 'pass');
      const options = { databaseUrl: migrated.url };
      expect((await checkIn('watchdog-heartbeat', dir, { options })).status).toBe('warn');

      // A heartbeat as Alertmanager delivers it, through the real webhook.
      const { createEvidenceStore, createAlertmanagerWebhook } = await import('@parapet/evidence-pg');
      const pool = new pg.Pool({ connectionString: migrated.url });
      const store = await createEvidenceStore({ database: pool, migrate: false });
      const webhook = createAlertmanagerWebhook({ store, tokens: ['doctor-test-token-0123456789'] });
      const payload = alertmanagerPayload({
        alerts: [{ fingerprint: 'feedfacecafe0001', startsAt: new Date().toISOString() }],
        labels: () => ({ alertname: 'ParapetWatchdog', severity: 'none', parapet: 'watchdog' }),
        annotations: () => ({}),
        groupKey: '{}:{alertname="ParapetWatchdog"}',
      });
      const response = await webhook(new Request('http://app/parapet/alertmanager', { method: 'POST', headers: { authorization: 'Bearer doctor-test-token-0123456789', 'content-type': 'application/json' }, body: JSON.stringify(payload) }));
      expect(response.status, await response.clone().text()).toBe(200);
      const good = await checkIn('watchdog-heartbeat', dir, { options });
      expect(good.status, good.message).toBe('info');

      await pool.query("UPDATE parapet_loop SET at = now() - interval '1 hour' WHERE name = 'last_heartbeat'");
      const stale = await checkIn('watchdog-heartbeat', dir, { options });
      expect(stale.status).toBe('error');
      expect(stale.message).toMatch(/arrived 60 min ago/);
      await store.close();
      await pool.end();
    });
  });
});

describe('live checks without the services (the services themselves: doctor-live.e2e.test.ts)', () => {
  it('skip without their flag, and report a URL that answers HTML instead of the API', async () => {
    const dir = copyFixture('node-version', 'pass');
    for (const id of ['live-metrics', 'prometheus-target', 'prometheus-rules', 'prometheus-series', 'alertmanager-route']) {
      const finding = await checkIn(id, dir);
      expect(finding.status, id).toBe('skip');
      expect(finding.message, id).toMatch(/Pass --(url|prometheus|alertmanager) </);
    }
    const { createServer } = await import('node:http');
    const ui = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Grafana</html>'));
    await new Promise<void>((resolve) => ui.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(ui.address() as { port: number }).port}`;
      const finding = await checkIn('prometheus-target', dir, { options: { prometheus: url } });
      expect(finding.status).toBe('error');
      expect(finding.message).toBe(`${url}/api/v1/targets?state=active did not answer JSON: it is not Prometheus's HTTP API.`);
    } finally {
      ui.close();
    }
  });
});

describe('the check registry', () => {
  it('has one stable id per check, each documented in docs/troubleshooting.md', async () => {
    expect(FINDING_IDS).toEqual([
      'config-load', 'slices-valid', 'runbook-urls', 'rules-drift',
      'metrics-route', 'metrics-token', 'production-token', 'operator-auth', 'webhook-raw-body', 'webhook-route', 'mcp-origin',
      'node-version', 'teams-connector',
      'migrations-applied', 'pgbouncer-migrations', 'watchdog-heartbeat', 'pglite-version',
      'live-metrics', 'prometheus-target', 'prometheus-rules', 'prometheus-series', 'alertmanager-route',
    ]);
    const doc = readFileSync(join(repoRoot, 'docs', 'troubleshooting.md'), 'utf8');
    for (const id of FINDING_IDS) expect(doc, id).toMatch(new RegExp(`^### \`${id}\`$`, "m"));
  });

  it('a check that throws becomes an error finding naming the bug; the others still run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parapet-doctor-'));
    try {
      const context = doctorContext({ config: 'parapet.config.ts', rules: 'parapet/prometheus' }, { cwd: dir, stdout: () => {}, stderr: () => {} }, {}, async () => {
        throw new Error('unused');
      });
      const broken = { id: 'broken', title: 'Broken', group: 'config' as const, run: async () => { throw new TypeError('x is undefined'); } };
      const findings = await runChecks([broken, CHECKS.find((c) => c.id === 'teams-connector')!], context);
      expect(findings[0]).toMatchObject({ id: 'broken', status: 'error', docs: 'docs/troubleshooting.md#broken' });
      expect(findings[0]!.message).toContain('The broken check crashed (TypeError: x is undefined). This is a bug in the Parapet doctor');
      expect(findings[1]!.status).toBe('info');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
