import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { needs } from '@parapet/vitest-preset/services';
import { parse } from 'yaml';
import { fixtureSlices, golden, tempDir, tool, writeFiles } from '../../../test/slo-fixtures.js';
import { createServer as createHttpServer } from 'node:http';
import { PAGE_RECEIVER, TICKET_RECEIVER, WATCHDOG_ALERTNAME, WATCHDOG_HEARTBEAT_MAX_AGE_MS, WATCHDOG_LABELS, WEBHOOK_RECEIVER } from '../conventions.js';
import { SloSpecError } from '../model/spec-error.js';
import { generateAlertmanagerConfig, inhibitEqualLabels } from './config.js';
import { freePort, waitFor } from '@parapet/vitest-preset/processes';

const options = {
  webhookUrl: 'https://app.example.com/parapet/alertmanager',
  bearerTokenFile: '/etc/alertmanager/secrets/parapet-webhook-token',
  pageReceiver: { pagerduty_configs: [{ routing_key: 'REPLACE_ME' }] },
  ticketReceiver: { slack_configs: [{ api_url: 'https://hooks.slack.com/services/REPLACE/ME', channel: '#alerts' }] },
};
const slices = fixtureSlices();

const hasAmtool = await needs('amtool');
const hasAlertmanager = await needs('alertmanager');

describe('Alertmanager config', () => {
  const text = generateAlertmanagerConfig(slices, options);

  it('routes every SLO alert to Parapet with bearer auth from the configured file, then by severity', () => {
    expect(text).toBe(golden('alertmanager.yml', text));
    expect(text.split('\n')[0]).toContain('parapet/v1');
    const config = parse(text) as { route: { routes: { receiver: string; matchers: string[]; continue?: boolean }[] }; receivers: { name: string; webhook_configs?: { http_config?: unknown }[] }[] };
    expect(config.route.routes.map((r) => [r.receiver, r.matchers[0], r.continue ?? false])).toEqual([
      [WEBHOOK_RECEIVER, `alertname="${WATCHDOG_ALERTNAME}"`, false],
      [WEBHOOK_RECEIVER, 'slo=~".+"', true],
      [PAGE_RECEIVER, 'severity="page"', false],
      [TICKET_RECEIVER, 'severity="ticket"', false],
    ]);
    expect(config.receivers[0]!.webhook_configs![0]!.http_config).toEqual({ authorization: { type: 'Bearer', credentials_file: options.bearerTokenFile } });
  });

  it('routes the always-firing watchdog to the webhook alone, often enough for the heartbeat check', () => {
    const config = parse(text) as { route: { group_interval: string; routes: Record<string, unknown>[] } };
    const watchdog = config.route.routes[0]!;
    expect(watchdog).toEqual({ receiver: WEBHOOK_RECEIVER, matchers: [`alertname="${WATCHDOG_ALERTNAME}"`], group_wait: '0s', group_interval: '1m', repeat_interval: '5m', continue: false });
    const ms = (d: string) => Number(/^(\d+)([smh])$/.exec(d)![1]) * { s: 1_000, m: 60_000, h: 3_600_000 }[/^(\d+)([smh])$/.exec(d)![2] as 's' | 'm' | 'h'];
    // Worst case between two heartbeats: a repeat becomes due just after a group_interval tick.
    // Even one lost notification (retried on the next) stays inside the store's default max age.
    expect(2 * (ms(watchdog.repeat_interval as string) + ms(watchdog.group_interval as string))).toBeLessThan(WATCHDOG_HEARTBEAT_MAX_AGE_MS);
  });

  it.skipIf(!hasAmtool)('amtool routes the watchdog to parapet-webhook only, and SLO pages to the webhook and the pager', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'alertmanager.yml': text });
    const route = async (labels: Record<string, string>) => {
      const { code, output } = await tool('amtool', ['config', 'routes', 'test', '--config.file=alertmanager.yml', ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)], dir);
      expect(code).toBe(0);
      // amtool also prints a warning (config file over URL) on stderr; the receivers are the other line.
      return output.split('\n').map((l) => l.replace(/Warning:.*$/, '').trim()).filter(Boolean).join('\n');
    };
    expect(await route({ alertname: WATCHDOG_ALERTNAME, ...WATCHDOG_LABELS })).toBe(WEBHOOK_RECEIVER);
    expect(await route({ alertname: 'LoginJourneyBudgetBurnPage', slo: 'login_journey', severity: 'page' })).toBe(`${WEBHOOK_RECEIVER},${PAGE_RECEIVER}`);
  });

  it('inhibits tickets only within the same slice and group: equal on slo and every grouping label', () => {
    const config = parse(text) as { inhibit_rules: { equal: string[] }[] };
    expect(config.inhibit_rules[0]!.equal).toEqual(['slo', 'queue', 'route']);
    expect(inhibitEqualLabels([{ groupBy: [] }])).toEqual(['slo']);
  });

  it('requires the webhook secret explicitly and says how to provide it', () => {
    const { bearerTokenFile: _, ...withoutSecret } = options;
    expect(() => generateAlertmanagerConfig(slices, withoutSecret)).toThrow(SloSpecError);
    expect(() => generateAlertmanagerConfig(slices, withoutSecret)).toThrow(/alertmanager.bearerTokenFile: required: the path, on the Alertmanager host, of a file holding the bearer token/);
    const open = parse(generateAlertmanagerConfig(slices, { ...options, bearerTokenFile: false })) as { receivers: { webhook_configs?: object[] }[] };
    expect(open.receivers[0]!.webhook_configs![0]).not.toHaveProperty('http_config');
  });

  it('says in the file when page or ticket receivers have no integrations', () => {
    const bare = generateAlertmanagerConfig(slices, { webhookUrl: options.webhookUrl, bearerTokenFile: options.bearerTokenFile });
    expect(bare).toContain('# NOTE: parapet-page and parapet-ticket have no integrations yet');
    expect(bare).toContain('docs/alertmanager-receivers.md');
    expect(text).not.toContain('# NOTE');
  });

  it('says what to fix for a missing webhook URL or a named receiver', () => {
    expect(() => generateAlertmanagerConfig(slices, { webhookUrl: '', bearerTokenFile: 'x' })).toThrow(/alertmanager.webhookUrl: must be the http\(s\) URL of Parapet's Alertmanager webhook/);
    expect(() => generateAlertmanagerConfig(slices, { ...options, pageReceiver: { name: 'pager' } })).toThrow(/alertmanager.pageReceiver: leave out "name"/);
  });

  it.skipIf(!hasAmtool)('passes amtool check-config, with and without receivers', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'full.yml': text, 'minimal.yml': generateAlertmanagerConfig(slices, { webhookUrl: options.webhookUrl, bearerTokenFile: options.bearerTokenFile }) });
    for (const file of ['full.yml', 'minimal.yml']) {
      const { code, output } = await tool('amtool', ['check-config', file], dir);
      expect(output).toContain('SUCCESS');
      expect(code).toBe(0);
    }
    writeFiles(dir, { 'broken.yml': text.replace('receiver: parapet-page', 'receiver: nobody') });
    expect((await tool('amtool', ['check-config', 'broken.yml'], dir)).code).not.toBe(0);
  });
});



interface AmAlert { labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } }

describe.skipIf(!hasAlertmanager)('in a real Alertmanager', () => {
  const processes: ChildProcess[] = [];
  afterAll(() => {
    for (const p of processes) p.kill('SIGTERM');
  });

  it('a page for one group of a grouped slice inhibits that group\'s ticket only', async () => {
    const dir = tempDir('parapet-am-');
    // The webhook URL is never reached: group_wait is long and the test reads state, not deliveries.
    writeFiles(dir, { 'alertmanager.yml': generateAlertmanagerConfig(slices, { webhookUrl: 'http://127.0.0.1:9/parapet/alertmanager', bearerTokenFile: false }) });
    const [port, clusterPort] = [await freePort(), await freePort()];
    const binary = (await tool('sh', ['-c', 'command -v prometheus-alertmanager || command -v alertmanager'])).output.trim();
    const am = spawn(binary, [
      `--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`, `--cluster.listen-address=`, `--cluster.advertise-address=127.0.0.1:${clusterPort}`,
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    processes.push(am);
    let stderr = '';
    am.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const base = `http://127.0.0.1:${port}/api/v2`;
    await waitFor(`Alertmanager ready on ${port} (stderr: ${stderr.slice(-500)})`, async () => ((await fetch(`${base}/status`)).ok ? true : undefined));

    const alert = (name: string, severity: string, route: string) => ({
      labels: { alertname: name, slo: 'checkout_requests', team: 'payments', severity, route },
      annotations: { summary: `${severity} ${route}` },
      startsAt: new Date().toISOString(),
    });
    const posted = await fetch(`${base}/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        alert('CheckoutRequestsBudgetBurnPage', 'page', '/login'),
        alert('CheckoutRequestsBudgetBurnTicket', 'ticket', '/login'),
        alert('CheckoutRequestsBudgetBurnTicket', 'ticket', '/api'),
      ]),
    });
    expect(posted.status).toBe(200);

    // Inhibition is computed when alerts are read; wait until all three are listed with a state.
    const alerts = await waitFor('three alerts with their inhibition state', async () => {
      const list = (await (await fetch(`${base}/alerts`)).json()) as AmAlert[];
      return list.length === 3 && list.some((a) => a.status.state === 'suppressed') ? list : undefined;
    });
    const state = (severity: string, route: string) => alerts.find((a) => a.labels.severity === severity && a.labels.route === route)!.status;
    expect(state('page', '/login').state).toBe('active');
    expect(state('ticket', '/login').state).toBe('suppressed');
    expect(state('ticket', '/login').inhibitedBy).toHaveLength(1);
    // The other group keeps its ticket: this is what equal: [slo] alone got wrong.
    expect(state('ticket', '/api').state).toBe('active');
    expect(state('ticket', '/api').inhibitedBy).toEqual([]);
  }, 60_000);

  it('delivers the watchdog to the webhook at once (group_wait 0s)', async () => {
    const received: { receiver: string; alerts: { labels: Record<string, string> }[] }[] = [];
    const hook = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body) as (typeof received)[number]);
        res.end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    try {
      const dir = tempDir('parapet-am-');
      const hookPort = (hook.address() as { port: number }).port;
      writeFiles(dir, { 'alertmanager.yml': generateAlertmanagerConfig(slices, { webhookUrl: `http://127.0.0.1:${hookPort}/parapet/alertmanager`, bearerTokenFile: false }) });
      const [port, clusterPort] = [await freePort(), await freePort()];
      const binary = (await tool('sh', ['-c', 'command -v prometheus-alertmanager || command -v alertmanager'])).output.trim();
      const am = spawn(binary, [
        `--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`, `--cluster.listen-address=`, `--cluster.advertise-address=127.0.0.1:${clusterPort}`,
      ], { stdio: ['ignore', 'ignore', 'ignore'] });
      processes.push(am);
      const base = `http://127.0.0.1:${port}/api/v2`;
      await waitFor(`Alertmanager ready on ${port}`, async () => ((await fetch(`${base}/status`).catch(() => undefined))?.ok ? true : undefined));
      const posted = await fetch(`${base}/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ labels: { alertname: WATCHDOG_ALERTNAME, ...WATCHDOG_LABELS }, annotations: {}, startsAt: new Date().toISOString() }]),
      });
      expect(posted.status).toBe(200);
      const delivery = await waitFor('the watchdog delivered to the webhook', async () => received[0]);
      expect(delivery.receiver).toBe(WEBHOOK_RECEIVER);
      expect(delivery.alerts.map((a) => a.labels.alertname)).toEqual([WATCHDOG_ALERTNAME]);
    } finally {
      await new Promise<void>((resolve) => hook.close(() => resolve()));
    }
  }, 60_000);
});
