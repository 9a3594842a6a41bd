import { describe, expect, it } from 'vitest';
import { needs } from '@parapet/vitest-preset/services';
import { parse } from 'yaml';
import { generateAlertmanagerConfig } from './alertmanager.js';
import { golden, tempDir, tool, writeFiles } from './test-support.js';

const options = {
  webhookUrl: 'https://app.example.com/parapet/alertmanager',
  pageReceiver: { pagerduty_configs: [{ routing_key: 'REPLACE_ME' }] },
  ticketReceiver: { slack_configs: [{ api_url: 'https://hooks.slack.com/services/REPLACE/ME', channel: '#alerts' }] },
};

const hasAmtool = await needs('amtool');

describe('Alertmanager config', () => {
  const text = generateAlertmanagerConfig(options);

  it('routes every SLO alert to Parapet with bearer auth from a file, then by severity', () => {
    expect(text).toBe(golden('alertmanager.yml', text));
    const config = parse(text) as { route: { routes: { receiver: string; matchers: string[]; continue?: boolean }[] }; receivers: { name: string; webhook_configs?: { http_config: unknown }[] }[] };
    expect(config.route.routes.map((r) => [r.receiver, r.matchers[0], r.continue ?? false])).toEqual([
      ['parapet-webhook', 'slo=~".+"', true],
      ['parapet-page', 'severity="page"', false],
      ['parapet-ticket', 'severity="ticket"', false],
    ]);
    expect(config.receivers[0]!.webhook_configs![0]!.http_config).toEqual({ authorization: { type: 'Bearer', credentials_file: '/etc/alertmanager/secrets/parapet-webhook-token' } });
  });

  it('says what to fix for a missing webhook URL or a named receiver', () => {
    expect(() => generateAlertmanagerConfig({ webhookUrl: '' })).toThrow(/alertmanager.webhookUrl: must be the http\(s\) URL of Parapet's Alertmanager webhook/);
    expect(() => generateAlertmanagerConfig({ ...options, pageReceiver: { name: 'pager' } })).toThrow(/alertmanager.pageReceiver: leave out "name"/);
  });

  it.skipIf(!hasAmtool)('passes amtool check-config, with and without receivers', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'full.yml': text, 'minimal.yml': generateAlertmanagerConfig({ webhookUrl: options.webhookUrl }) });
    for (const file of ['full.yml', 'minimal.yml']) {
      const { code, output } = await tool('amtool', ['check-config', file], dir);
      expect(output).toContain('SUCCESS');
      expect(code).toBe(0);
    }
    writeFiles(dir, { 'broken.yml': text.replace('receiver: parapet-page', 'receiver: nobody') });
    expect((await tool('amtool', ['check-config', 'broken.yml'], dir)).code).not.toBe(0);
  });
});
