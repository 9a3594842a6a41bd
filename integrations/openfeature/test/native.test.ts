import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { init, integrations } from '@launchdarkly/node-server-sdk';
import { initialize, type Unleash } from 'unleash-client';
import { attach, type FlagChangeEvent } from '@parapet/core';
import { subscribe } from '@parapet/core/integration';
import { parseExposition } from '@parapet/vitest-preset/exposition';
import client from 'prom-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parapetLaunchDarkly } from '../src/launchdarkly.js';
import { parapetUnleash } from '../src/unleash.js';
import { waitFor } from '@parapet/vitest-preset/processes';

const changes: FlagChangeEvent[] = [];
let stop: () => void;
beforeAll(() => {
  stop = subscribe('flag.change', (e) => void changes.push(e));
});
afterAll(() => stop());
beforeEach(() => void (changes.length = 0));

const until = (check: () => boolean, what: string) => waitFor(what, check, { timeoutMs: 10_000, everyMs: 10 });
const summary = () => changes.map((c) => [c.flag, c.source]);

describe('parapetLaunchDarkly() with the LaunchDarkly SDK and its TestData source', () => {
  const td = new integrations.TestData();
  const ld = init('sdk-test-key', { updateProcessor: td.getFactory(), sendEvents: false, diagnosticOptOut: true, logger: { error() {}, warn() {}, info() {}, debug() {} } });
  const registry = new client.Registry();
  let parapet: ReturnType<typeof attach>;
  beforeAll(async () => {
    await td.update(td.flag('new-checkout').booleanFlag().variationForAll(false));
    await ld.waitForInitialization({ timeout: 10 });
    parapet = attach({ registry, integrations: [parapetLaunchDarkly({ client: ld })] });
  });
  afterAll(async () => {
    await parapet.close();
    ld.close();
  });

  it('a flag update is a flag.change from launchdarkly', async () => {
    await td.update(td.flag('new-checkout').booleanFlag().variationForAll(true));
    await until(() => changes.length >= 1, 'the update event');
    expect(summary()).toEqual([['new-checkout', 'launchdarkly']]);
  });

  it('a failed evaluation counts by flag and error code; successful ones are not recorded', async () => {
    expect(await ld.variation('new-checkout', { kind: 'user', key: 'user-1' }, false)).toBe(true);
    expect(await ld.variation('missing-flag', { kind: 'user', key: 'user-2' }, 'fallback')).toBe('fallback');
    const samples = parseExposition(await registry.metrics()).filter((s) => s.name === 'parapet_flag_evaluation_errors_total');
    expect(samples).toEqual([{ name: 'parapet_flag_evaluation_errors_total', labels: { flag: 'missing-flag', error_code: 'FLAG_NOT_FOUND' }, value: 1 }]);
    expect(await registry.metrics()).not.toMatch(/user-\d/);
  });

  it('stops after detach', async () => {
    await parapet.close();
    // Watch the SDK's own event to know the update happened, then check Parapet published nothing.
    const seen: unknown[] = [];
    const watch = (change: { key?: unknown }) => void seen.push(change.key);
    ld.on('update', watch);
    await td.update(td.flag('other-flag').booleanFlag().variationForAll(true));
    await until(() => seen.includes('other-flag'), 'the SDK update event');
    ld.off('update', watch);
    expect(changes).toEqual([]);
    parapet = attach({ registry: new client.Registry(), integrations: [parapetLaunchDarkly({ client: ld, evaluationErrors: false })] });
  });
});

describe('parapetUnleash() with the Unleash client against a local Unleash API', () => {
  let features: Array<Record<string, unknown>> = [
    { name: 'new-checkout', enabled: false, strategies: [{ name: 'default' }] },
    { name: 'banner', enabled: true, strategies: [{ name: 'default' }] },
  ];
  let fetches = 0;
  let server: Server;
  let unleash: Unleash;
  let parapet: ReturnType<typeof attach>;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url?.startsWith('/api/client/features')) {
        fetches++;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ version: 2, features }));
      } else res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    unleash = initialize({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
      appName: 'parapet-test',
      refreshInterval: 20,
      disableMetrics: true,
      disableAutoStart: false,
    });
    await new Promise<void>((r) => unleash.once('synchronized', () => r()));
    parapet = attach({ registry: new client.Registry(), integrations: [parapetUnleash({ client: unleash })] });
  });
  afterAll(async () => {
    await parapet.close();
    unleash.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('the loaded list is the baseline: refreshes without changes publish nothing', async () => {
    const seen = fetches;
    await until(() => fetches >= seen + 3, 'three refreshes');
    expect(changes).toEqual([]);
  });

  it('diffs each refresh: changed, added and removed toggles are flag changes', async () => {
    features = [
      { name: 'new-checkout', enabled: true, strategies: [{ name: 'default' }] },
      { name: 'dark-mode', enabled: true, strategies: [{ name: 'default' }] },
    ];
    await until(() => changes.length >= 3, 'three flag changes');
    expect(summary().sort()).toEqual([['banner', 'unleash'], ['dark-mode', 'unleash'], ['new-checkout', 'unleash']]);
  });
});
