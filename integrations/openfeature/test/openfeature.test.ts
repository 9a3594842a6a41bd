import { InMemoryProvider, OpenFeature } from '@openfeature/server-sdk';
import { attach, type FlagChangeEvent } from '@parapet/core';
import { subscribe } from '@parapet/core/integration';
import { parseExposition } from '@parapet/vitest-preset/exposition';
import client from 'prom-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parapetOpenFeature } from '../src/index.js';

const flags = {
  'new-checkout': { variants: { on: true, off: false }, defaultVariant: 'off', disabled: false },
  'banner-text': { variants: { a: 'hello', b: 'hi' }, defaultVariant: 'a', disabled: false },
};

const provider = new InMemoryProvider(flags);
let current: Record<string, (typeof flags)[keyof typeof flags]> = { ...flags };
const changes: FlagChangeEvent[] = [];
let stop: () => void;
const registry = new client.Registry();
let parapet: ReturnType<typeof attach>;

beforeAll(async () => {
  await OpenFeature.setProviderAndWait(provider);
  stop = subscribe('flag.change', (e) => void changes.push(e));
  parapet = attach({ registry, integrations: [parapetOpenFeature()] });
});
afterAll(async () => {
  stop();
  await parapet.close();
  await OpenFeature.close();
});
beforeEach(() => void (changes.length = 0));

/** Handlers run on the provider's event emitter; wait for the expected count rather than a time. */
async function changesAfter(count: number) {
  const deadline = Date.now() + 5000;
  while (changes.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  return changes.map((c) => [c.flag, c.source]);
}
const sample = async (name: string, labels: Record<string, string>) =>
  parseExposition(await registry.metrics()).find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value ?? 0;

describe('parapetOpenFeature() with the in-memory provider', () => {
  it('a configuration change becomes one flag.change per changed flag, sourced from the provider', async () => {
    current = { ...current, 'new-checkout': { ...flags['new-checkout'], defaultVariant: 'on' } };
    provider.putConfiguration(current);
    expect(await changesAfter(1)).toEqual([['new-checkout', 'in-memory']]);
    expect(await sample('parapet_flag_changes_total', { flag: 'new-checkout', source: 'in-memory' })).toBe(1);
  });

  it('evaluations are never recorded; failed ones count in one bounded series per flag and error code', async () => {
    const ofClient = OpenFeature.getClient();
    for (let i = 0; i < 50; i++) await ofClient.getBooleanValue('new-checkout', false, { targetingKey: `user-${i}` });
    expect(await ofClient.getBooleanValue('no-such-flag', false)).toBe(false);
    expect(await ofClient.getNumberValue('banner-text', 0)).toBe(0); // wrong type
    expect(await sample('parapet_flag_evaluation_errors_total', { flag: 'no-such-flag', error_code: 'FLAG_NOT_FOUND' })).toBe(1);
    expect(await sample('parapet_flag_evaluation_errors_total', { flag: 'banner-text', error_code: 'TYPE_MISMATCH' })).toBe(1);
    const text = await registry.metrics();
    expect(text).not.toMatch(/user-\d+/);
    expect(parseExposition(text).filter((s) => s.name === 'parapet_flag_evaluation_errors_total')).toHaveLength(2);
  });

  it('after detach, changes and errors are no longer recorded (the inert hook stays)', async () => {
    const other = new client.Registry();
    const handle = attach({ registry: other, integrations: [parapetOpenFeature({ source: 'admin-ui' })] });
    await handle.close();
    current = { ...current, 'banner-text': { ...flags['banner-text'], defaultVariant: 'b' } };
    provider.putConfiguration(current);
    // The still-attached integration sees it; the detached one added nothing.
    expect(await changesAfter(1)).toEqual([['banner-text', 'in-memory']]);
    expect(await other.metrics()).not.toContain('admin-ui');
    expect(await registry.metrics()).not.toContain('admin-ui');
  });

  it('validates options', () => {
    expect(() => parapetOpenFeature({ sorce: 'x' } as never)).toThrow(/did you mean "source"/);
    expect(() => parapetOpenFeature({ target: {} as never })).toThrow(/OpenFeature/);
  });
});
