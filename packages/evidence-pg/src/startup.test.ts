// A store opened with `migrate: false` over a database that lacks its tables: the app starts (a
// deploy may migrate separately) but says so once, with the fix; a request that then fails
// answers 500 and its cause is in the log the body points to.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAlertmanagerWebhook, createEvidenceStore } from './index.js';
import { payload } from '../test/fixtures.js';

describe('createEvidenceStore({ migrate: false }) over an unmigrated database', () => {
  afterEach(() => vi.restoreAllMocks());

  it('warns at start naming the pending migrations and the fix; the failing webhook logs its cause', async () => {
    const warnings: string[] = [];
    const logger = { warn: (m: string) => void warnings.push(m), error: () => {} };
    const store = await createEvidenceStore({ migrate: false, logger });
    try {
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^createEvidenceStore\(\): \d+ evidence migration\(s\) not applied \(evidence\/0001/);
      expect(warnings[0]).toContain('Run `npx parapet migrate` (with the same database) before starting the app, or pass migrate: true.');

      const logged: string[] = [];
      vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
      const webhook = createAlertmanagerWebhook({ store, tokens: ['startup-test-token-0123456789'] });
      const res = await webhook(new Request('http://app/alertmanager', { method: 'POST', headers: { authorization: 'Bearer startup-test-token-0123456789', 'content-type': 'application/json' }, body: JSON.stringify(payload({ alerts: [{ fingerprint: 'f000000000000001', startsAt: '2026-11-30T09:00:00Z' }] })) }));
      expect(res.status).toBe(500);
      expect(logged.join('\n')).toMatch(/answered 500 INTERNAL for: .*parapet_/);
    } finally {
      await store.close();
    }
  });

  it('says nothing once the migrations are applied', async () => {
    const warnings: string[] = [];
    const logger = { warn: (m: string) => void warnings.push(m), error: () => {} };
    const migrated = await createEvidenceStore({ logger });
    expect(warnings).toEqual([]);
    await migrated.close();
  });
});
