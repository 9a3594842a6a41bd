import { markDeploy, publishFlagChange } from '@parapet/core';
import { describe, expect, it } from 'vitest';
import { waitFor } from '@parapet/vitest-preset/processes';
import { createEvidenceStore, recordSystemEvents } from './index.js';
import { payload } from '../test/fixtures.js';

describe('core deploy markers and flag changes', () => {
  it('are recorded as system events and correlated onto incidents that open shortly after', async () => {
    await using store = await createEvidenceStore();
    const recorder = recordSystemEvents({ store });
    markDeploy({ service: 'checkout', environment: 'prod', version: 'v9.1.0', at: new Date('2026-08-20T08:55:00Z'), actor: 'ci' });
    publishFlagChange({ flag: 'new-cart', source: 'admin-ui', actor: 'ada' });
    await recorder.close();
    const r = await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: 'se00000000000001', startsAt: '2026-08-20T09:00:00Z' }] }) });
    const detail = await waitFor('the incident', () => store.getIncident({ id: r.incidentIds[0]! }), { timeoutMs: 20_000 });
    expect(detail.timeline.map((t) => [t.type, t.summary])).toContainEqual(['deploy', 'Deployed checkout v9.1.0 to prod']);
    const flags = await store.db.selectFrom('parapet_system_event').select(['kind', 'summary']).where('kind', '=', 'flag_change').execute();
    expect(flags).toEqual([{ kind: 'flag_change', summary: 'Flag new-cart changed' }]);
  });
});
