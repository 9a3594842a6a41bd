// The whole loop with the real components: the demo on PostgreSQL, a real Prometheus scraping it
// with the rules `parapet gen prometheus` writes (short-window profile), a real Alertmanager with
// the config `parapet gen alertmanager` writes, routing to the demo's webhook with bearer auth.
// A local receiver stands in for Slack (PARAPET_NOTIFY_WEBHOOK_URL); the MCP endpoint and the
// workbench are checked on the same incident.
// Every wait is on a condition with a generous deadline; nothing sleeps a fixed time.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseUrl, needs } from '@parapet/vitest-preset/services';
import { waitFor } from '@parapet/vitest-preset/processes';

const demoDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(demoDir, '..', '..');
const canRun = await needs('postgres', 'prometheus', 'alertmanager');

const ALERT = 'WebSaasLoginJourneyBudgetBurnPage';
const SLICE = 'web_saas_login_journey';
const tokens = {
  metrics: 'e2e-metrics-token-0123456789',
  webhook: 'e2e-webhook-token-0123456789',
  deploy: 'e2e-deploy-token-01234567890',
  alice: 'e2e-alice-token-0123456789ab',
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Polls `check` until it returns a truthy value, or fails with what it saw last (the shared waitFor). */
const until = <T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs: number, everyMs = 1000): Promise<T> =>
  waitFor(what, check, { timeoutMs, everyMs }) as Promise<T>;

const children = new Set<ChildProcess>();
function start(name: string, command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const child = spawn(command, args, { cwd: options.cwd ?? repoRoot, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  children.add(child);
  void exited.then(() => children.delete(child));
  return { name, child, exited, output: () => output };
}
type Proc = ReturnType<typeof start>;

async function stop(proc: Proc): Promise<void> {
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGTERM');
  await proc.exited;
}

function cli(args: string[], env: NodeJS.ProcessEnv): string {
  const result = spawnSync(process.execPath, [join(repoRoot, 'packages', 'cli', 'bin', 'parapet.mjs'), ...args], { cwd: repoRoot, env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`parapet ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

describe.skipIf(!canRun)('the loop: signals → Prometheus → Alertmanager → webhook → incident', () => {
  const work = mkdtempSync(join(tmpdir(), 'parapet-loop-'));
  const database = `parapet_demo_e2e_${process.pid}`;
  const admin = new pg.Client({ connectionString: databaseUrl });

  // Stands in for Slack: records every notification the demo delivers.
  const slack: { body: { text?: string } & Record<string, unknown>; raw: string }[] = [];
  const receiver = createHttpServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      slack.push({ body: JSON.parse(raw) as { text?: string }, raw });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
    await admin.end().catch(() => {});
    rmSync(work, { recursive: true, force: true });
  });

  it('a page fires, is delivered (also across a webhook outage), becomes one incident, is acknowledged by name and resolves', async () => {
    const started = Date.now();
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${database}`);
    const demoDb = new URL(databaseUrl);
    demoDb.pathname = `/${database}`;

    const [demoPort, promPort, amPort] = [await freePort(), await freePort(), await freePort()];
    const demoUrl = `http://127.0.0.1:${demoPort}`;
    const promUrl = `http://127.0.0.1:${promPort}`;
    const amUrl = `http://127.0.0.1:${amPort}`;
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const slackUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/services/T000/B000/demo`;
    const tokenFile = join(work, 'webhook-token');
    writeFileSync(tokenFile, tokens.webhook);

    // Generated artifacts, as a user makes them (short-window profile).
    const genEnv = { ...process.env, PARAPET_WINDOWS: 'short', PARAPET_PUBLIC_URL: demoUrl, PARAPET_WEBHOOK_TOKEN_FILE: tokenFile };
    for (const target of ['prometheus', 'alertmanager', 'grafana']) cli(['gen', target, '--config', 'apps/demo/parapet.config.ts', '--out', join(work, target)], genEnv);

    // Alertmanager: the generated config; only the grouping delays are shortened for the test.
    const amConfig = readFileSync(join(work, 'alertmanager', 'alertmanager.yml'), 'utf8');
    expect(amConfig).toContain(`${demoUrl}/parapet/alertmanager`);
    expect(amConfig).toContain(tokenFile);
    writeFileSync(join(work, 'alertmanager', 'alertmanager.yml'), amConfig.replace(/group_wait: .*/g, 'group_wait: 1s').replace(/group_interval: .*/g, 'group_interval: 5s'));
    const alertmanager = start('alertmanager', 'prometheus-alertmanager', [
      `--config.file=${join(work, 'alertmanager', 'alertmanager.yml')}`, `--storage.path=${join(work, 'am-data')}`,
      `--web.listen-address=127.0.0.1:${amPort}`, '--cluster.listen-address=',
    ]);

    writeFileSync(join(work, 'prometheus.yml'), [
      'global: { scrape_interval: 2s, evaluation_interval: 2s }',
      `rule_files: ["${join(work, 'prometheus', 'rules.yml')}"]`,
      `alerting: { alertmanagers: [{ static_configs: [{ targets: ["127.0.0.1:${amPort}"] }] }] }`,
      'scrape_configs:',
      `  - job_name: demo`,
      `    authorization: { credentials: "${tokens.metrics}" }`,
      `    static_configs: [{ targets: ["127.0.0.1:${demoPort}"] }]`,
      '',
    ].join('\n'));
    const prometheus = start('prometheus', 'prometheus', [
      `--config.file=${join(work, 'prometheus.yml')}`, `--storage.tsdb.path=${join(work, 'prom-data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`, '--rules.alert.resend-delay=5s',
    ]);

    const demoEnv = {
      ...process.env, NODE_OPTIONS: '', PORT: String(demoPort), DATABASE_URL: demoDb.toString(), REDIS_URL: '',
      PARAPET_METRICS_TOKENS: tokens.metrics, PARAPET_WEBHOOK_TOKENS: tokens.webhook, PARAPET_DEPLOY_TOKENS: tokens.deploy,
      PARAPET_OPERATOR_TOKENS: `alice:${tokens.alice}`, PARAPET_PUBLIC_URL: demoUrl, PARAPET_NOTIFY_WEBHOOK_URL: slackUrl,
    };
    const startDemo = () => start('demo', process.execPath, ['--conditions=parapet-source', '--import', 'tsx', 'src/main.ts', '--traffic-rate', '2', '--no-monitor'], { cwd: demoDir, env: demoEnv });
    let demo = startDemo();
    const procs = () => [alertmanager, prometheus, demo];
    const explain = () => procs().map((p) => `--- ${p.name}:\n${p.output().slice(-3000)}`).join('\n');

    const prom = async (query: string) => {
      const response = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
      const body = (await response.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] }; error?: string };
      if (body.status !== 'success') throw new Error(`${query}: ${body.error}`);
      return body.data.result;
    };
    const api = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(`${demoUrl}/parapet/api${path}`, { ...init, headers: { authorization: `Bearer ${tokens.alice}`, 'content-type': 'application/json', ...init.headers } });
      return { status: response.status, body: (await response.json()) as any };
    };
    const loginIncidents = async (state: string) => (await api(`/incidents?state=${state}&slo=${SLICE}`)).body.items as { id: string; state: string; alertname: string }[];

    try {
      // 1. Normal traffic reaches Prometheus.
      await until('Prometheus scraping the demo', async () => (await prom('up{job="demo"} == 1')).length === 1, 120_000);
      await until('login journey series in Prometheus', async () => (await prom('parapet_journey_steps_total{journey="login",outcome="success"} > 0')).length > 0, 120_000);

      // 2. Failures into the login journey, then the webhook unreachable before the page fires.
      //    The page needs the 10m window, built from 5m tiles recorded at the evaluation in the
      //    first minute of each 5m of the clock: failures that start after that minute and stop
      //    well before the next cannot be in a tile yet, so the page cannot fire (nor be
      //    delivered) before the demo, and its webhook, go away.
      const inTile = () => Math.floor(Date.now() / 1000) % 300;
      await until('a moment between two tiles (65s to 230s into a 5m of the clock)', async () => inTile() >= 65 && inTile() <= 230, 300_000, 1000);
      const switched = await fetch(`${demoUrl}/demo/failures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ on: true, ratio: 1 }) });
      expect(await switched.json()).toMatchObject({ on: true });
      await until('failed logins scraped by Prometheus', async () => (await prom('parapet_journey_steps_total{journey="login",outcome="failure"} >= 10')).length > 0, 60_000, 500);
      await stop(demo); // the demo's failure switch goes with it
      expect(await prom(`ALERTS{alertname="${ALERT}"}`)).toEqual([]);

      // 3. The page fires from what Prometheus already has; Alertmanager cannot deliver it.
      await until(`${ALERT} firing in Prometheus`, async () => (await prom(`ALERTS{alertname="${ALERT}",alertstate="firing"}`)).length > 0, 8 * 60_000, 2000);
      const firingAt = Date.now();
      await until('Alertmanager failing to reach the webhook', async () => {
        const text = await (await fetch(`${amUrl}/metrics`)).text();
        const failed = /alertmanager_notifications_failed_total\{[^}]*integration="webhook"[^}]*\} (\d+)/.exec(text);
        return failed !== null && Number(failed[1]) > 0;
      }, 120_000);

      // 4. Restarted on the same database, without failures: the delivery Alertmanager retries lands.
      demo = startDemo();
      const [incident] = await until('one incident for the login slice', async () => {
        const items = await loginIncidents('active');
        return items.length > 0 ? items : undefined;
      }, 180_000);
      expect(incident!.alertname).toBe(ALERT);
      const detail = await api(`/incidents/${incident!.id}`);
      expect(detail.body.timeline.map((e: { type: string }) => e.type)).toContain('alert_fired');
      // Its opening reached "Slack", and the outcome is on the timeline.
      const link = `${demoUrl}/parapet/incidents/${incident!.id}"`;
      const openedMessages = () => slack.filter((m) => m.body.text?.startsWith('[FIRING]') && m.raw.includes(link));
      await until('the opening notification delivered to the Slack stand-in', async () => openedMessages().length > 0, 120_000);
      await until('the notification outcome on the timeline', async () => (await api(`/incidents/${incident!.id}`)).body.timeline.some((e: { type: string; summary: string }) => e.type === 'notification' && /\(opened\) — HTTP 200/.test(e.summary)), 60_000);

      // The MCP endpoint (operator token as Bearer) lists it; the workbench page answers with the app shell.
      const mcp = new Client({ name: 'loop-e2e', version: '1.0.0' });
      await mcp.connect(new StreamableHTTPClientTransport(new URL(`${demoUrl}/parapet/mcp`), { requestInit: { headers: { authorization: `Bearer ${tokens.alice}` } } }));
      try {
        const listed = (await mcp.callTool({ name: 'list_incidents', arguments: { slo: SLICE } })).structuredContent as { incidents: { id: string; alertname: string }[] };
        expect(listed.incidents.map((i) => [i.id, i.alertname])).toContainEqual([incident!.id, ALERT]);
      } finally {
        await mcp.close();
      }
      const page = await fetch(`${demoUrl}/parapet/incidents/${incident!.id}`, { headers: { authorization: `Bearer ${tokens.alice}`, accept: 'text/html' } });
      expect(page.status).toBe(200);
      const shell = await page.text();
      expect(shell).toContain('<base href="/parapet/"');
      expect(shell).toContain('id="parapet-workbench-config"');

      // 5. Acknowledged through the API: audited with the operator's name.
      const ack = await api(`/incidents/${incident!.id}/acknowledge`, { method: 'POST', body: JSON.stringify({ rationale: 'e2e: looking at login' }) });
      expect(ack.status).toBe(200);
      const audited = await api(`/incidents/${incident!.id}`);
      expect(audited.body.audits.map((a: { action: string; actor: { name: string } }) => [a.action, a.actor.name])).toContainEqual(['acknowledge', 'alice']);

      // 6. No more failures: normal traffic dilutes the short window until Alertmanager's
      //    resolved notification resolves the incident.
      let driving = true;
      const drive = (async () => {
        const body = JSON.stringify({ email: 'demo@example.com', password: 'parapet' });
        const worker = async () => {
          while (driving) await fetch(`${demoUrl}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((r) => r.arrayBuffer()).catch(() => undefined);
        };
        await Promise.all(Array.from({ length: 4 }, worker));
      })();
      try {
        await until('the incident resolved by Alertmanager', async () => (await api(`/incidents/${incident!.id}`)).body.incident.state === 'resolved', 10 * 60_000, 2000);
      } finally {
        driving = false;
        await drive;
      }
      const resolved = await api(`/incidents/${incident!.id}`);
      const types = resolved.body.timeline.map((e: { type: string }) => e.type);
      expect(types).toContain('alert_resolved');
      expect(types.filter((t: string) => t === 'alert_fired')).toHaveLength(1);
      expect(await loginIncidents('all')).toHaveLength(1);
      // Exactly one notification for the opening, across the outage and the restart.
      expect(openedMessages()).toHaveLength(1);
      expect(resolved.body.timeline.filter((e: { type: string; summary: string }) => e.type === 'notification' && /\(opened\)/.test(e.summary))).toHaveLength(1);
      const resolvedAt = Date.now();

      // 7. Every query of the generated Grafana dashboards returns data from this Prometheus.
      const dashboards = readdirSync(join(work, 'grafana', 'dashboards')).filter((f) => f.endsWith('.json'));
      expect(dashboards.length).toBeGreaterThan(1);
      const exprs = dashboards.flatMap((file) => {
        const dashboard = JSON.parse(readFileSync(join(work, 'grafana', 'dashboards', file), 'utf8')) as { panels: { targets?: { expr: string }[] }[] };
        return dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ file, expr: t.expr.replace(/"\$\w+"/g, '".+"') })));
      });
      expect(exprs.length).toBeGreaterThan(5);
      await until('data for every dashboard query', async () => {
        const empty = [];
        for (const { file, expr } of exprs) if ((await prom(expr)).length === 0) empty.push(`${file}: ${expr}`);
        if (empty.length > 0) throw new Error(`no data yet for:\n${empty.join('\n')}`);
        return true;
      }, 8 * 60_000, 5000);

      console.log(`[loop e2e] fired after ${Math.round((firingAt - started) / 1000)}s, resolved after ${Math.round((resolvedAt - started) / 1000)}s, total ${Math.round((Date.now() - started) / 1000)}s`);
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${explain()}`);
    } finally {
      await stop(demo);
      await stop(prometheus);
      await stop(alertmanager);
    }
  }, 30 * 60_000);
});
