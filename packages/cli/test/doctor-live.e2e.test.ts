// The live checks against real services: a small Express app using @parapet/express, a real
// Prometheus and a real Alertmanager, started here. First set up wrong (wrong scrape token, no
// scrape job, no rules, an Alertmanager config without Parapet's receiver, no login traffic),
// every live check reports it; then set up as the docs say (generated rules and config, reloaded),
// every live check passes. Every wait is on a condition.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, forkFixture, waitFor } from '@parapet/vitest-preset/processes';
import { needs } from '@parapet/vitest-preset/services';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { packageDir, removeScratch } from '../src/test-support.js';
import { checkIn, copyFixture, workspaceAlias } from './doctor-support.js';

const canRun = await needs('prometheus', 'alertmanager');
const METRICS_TOKEN = 'doctor-e2e-metrics-token-0123456789';

const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((resolve) => c.once('exit', resolve)))));
  removeScratch();
});

function start(command: string, args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  children.push(child);
  return { child, output: () => output };
}

async function reload(url: string): Promise<void> {
  const response = await fetch(`${url}/-/reload`, { method: 'POST' });
  expect(response.status, await response.text()).toBe(200);
}

describe.skipIf(!canRun)('parapet doctor live checks (real app, Prometheus, Alertmanager)', () => {
  it('reports a wrong setup, then passes once it is set up as documented', async () => {
    const dir = copyFixture('live', '.');
    const [appPort, promPort, amPort] = [await freePort(), await freePort(), await freePort()];
    const appUrl = `http://127.0.0.1:${appPort}`;
    const promUrl = `http://127.0.0.1:${promPort}`;
    const amUrl = `http://127.0.0.1:${amPort}`;
    const tokenFile = join(dir, 'webhook-token');
    writeFileSync(tokenFile, 'doctor-e2e-webhook-token-0123456789');
    // The config is loaded in this process: it reads the app URL and token file from here.
    process.env.DOCTOR_E2E_APP_URL = appUrl;
    process.env.DOCTOR_E2E_TOKEN_FILE = tokenFile;

    const app = forkFixture(new URL('./fixtures/doctor/live/app.ts', import.meta.url), {
      cwd: packageDir,
      env: { PORT: String(appPort), NODE_ENV: 'production', PARAPET_METRICS_TOKENS: METRICS_TOKEN, NODE_OPTIONS: '' },
    });
    children.push(app);
    await new Promise<void>((resolve, reject) => {
      app.once('message', () => resolve());
      app.once('exit', (code) => reject(new Error(`the app exited (${code})`)));
    });

    // Wrong: Prometheus scrapes nothing and loads no rules; Alertmanager has no Parapet receiver.
    const promConfig = join(dir, 'prometheus.yml');
    writeFileSync(promConfig, 'global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs: []\n');
    const prometheus = start('prometheus', [`--config.file=${promConfig}`, `--storage.tsdb.path=${join(dir, 'prom-data')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--web.enable-lifecycle']);
    const amConfig = join(dir, 'alertmanager.yml');
    writeFileSync(amConfig, "route: { receiver: 'null' }\nreceivers: [{ name: 'null' }]\n");
    const alertmanager = start('prometheus-alertmanager', [`--config.file=${amConfig}`, `--storage.path=${join(dir, 'am-data')}`, `--web.listen-address=127.0.0.1:${amPort}`, '--cluster.listen-address=']);
    const explain = () => `--- prometheus:\n${prometheus.output().slice(-2000)}\n--- alertmanager:\n${alertmanager.output().slice(-2000)}`;
    await waitFor('Prometheus and Alertmanager to answer', async () => (await fetch(`${promUrl}/-/ready`).catch(() => undefined))?.ok && (await fetch(`${amUrl}/-/ready`).catch(() => undefined))?.ok, { timeoutMs: 30_000, everyMs: 200 });

    const options = { url: appUrl, prometheus: promUrl, alertmanager: amUrl };
    const check = (id: string, env: NodeJS.ProcessEnv = { PARAPET_METRICS_TOKENS: METRICS_TOKEN }) => checkIn(id, dir, { env, options });

    const wrongToken = await check('live-metrics', { PARAPET_METRICS_TOKENS: 'not-the-token-0123456789' });
    expect(wrongToken.status).toBe('error');
    expect(wrongToken.message).toMatch(/refused the scrape \((401|403)\): the token is not one the app accepts/);
    const target = await check('prometheus-target');
    expect(target.status).toBe('error');
    expect(target.message).toContain(`Prometheus has no scrape target for 127.0.0.1:${appPort}`);
    const rules = await check('prometheus-rules');
    expect(rules.status).toBe('error');
    expect(rules.details).toContain('parapet_slo_watchdog');
    const series = await check('prometheus-series');
    expect(series.status).toBe('warn');
    expect(series.details).toHaveLength(2);
    const route = await check('alertmanager-route');
    expect(route.status, explain()).toBe('error');
    expect(route.message).toContain(`no webhook receiver for ${appUrl}/parapet/alertmanager`);
    const down = await checkIn('prometheus-target', dir, { options: { ...options, prometheus: 'http://127.0.0.1:1' } });
    expect(down.message).toContain('Cannot reach Prometheus at http://127.0.0.1:1');

    // Right: the generated rules and Alertmanager config, a scrape job with the token, traffic.
    const io = { cwd: dir, stdout: () => {}, stderr: () => {} };
    expect(await main(['gen', 'prometheus'], io, { load: { alias: workspaceAlias } })).toBe(0);
    expect(await main(['gen', 'alertmanager', '--out', 'am'], io, { load: { alias: workspaceAlias } })).toBe(0);
    writeFileSync(
      promConfig,
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        `rule_files: ["${join(dir, 'parapet', 'prometheus', 'rules.yml')}"]`,
        'scrape_configs:',
        '  - job_name: app',
        `    authorization: { credentials: "${METRICS_TOKEN}" }`,
        `    static_configs: [{ targets: ["127.0.0.1:${appPort}"] }]`,
        '',
      ].join('\n'),
    );
    await reload(promUrl);
    writeFileSync(amConfig, readFileSync(join(dir, 'am', 'alertmanager.yml'), 'utf8'));
    await reload(amUrl);
    expect((await fetch(appUrl)).status).toBe(200);
    expect((await fetch(`${appUrl}/login`, { method: 'POST' })).status).toBe(200);

    const metrics = await check('live-metrics');
    expect(metrics.status, metrics.message).toBe('info');
    expect(metrics.message).toMatch(/answers with the token: \d+ parapet_\* samples/);
    for (const id of ['prometheus-target', 'prometheus-rules', 'prometheus-series', 'alertmanager-route']) {
      const finding = await waitFor(`${id} to pass`, async () => {
        const f = await check(id);
        return f.status === 'info' ? f : undefined;
      }, { timeoutMs: 60_000, everyMs: 500 }).catch(async (error: Error) => {
        throw new Error(`${error.message}\nlast: ${JSON.stringify(await check(id))}\n${explain()}`);
      });
      expect(finding.status).toBe('info');
    }
  }, 120_000);
});
