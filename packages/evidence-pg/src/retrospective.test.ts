import { describe, expect, it } from 'vitest';
import { createEvidenceStore, type Incident } from './index.js';
import { payload, responder } from '../test/fixtures.js';

describe('retrospective on resolve', () => {
  it('hands the retrospective to onResolved after an Alertmanager or operator resolution; hook errors never fail the caller', async () => {
    const resolved: { incident: Incident; retrospective: string }[] = [];
    const errors: unknown[] = [];
    let fail = false;
    await using store = await createEvidenceStore({
      onResolved: (r) => {
        if (fail) throw new Error('notifier down');
        resolved.push(r);
      },
      onError: (e) => errors.push(e),
    });
    const fired = await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: 'rr00000000000001', startsAt: '2026-08-20T09:00:00Z' }, { fingerprint: 'rr00000000000002', startsAt: '2026-08-20T09:00:00Z' }] }) });
    await store.ingestAlertmanager({ payload: payload({ alerts: [{ fingerprint: 'rr00000000000001', startsAt: '2026-08-20T09:00:00Z', status: 'resolved', endsAt: '2026-08-20T09:12:00Z' }] }) });
    expect(resolved).toHaveLength(1);
    expect(resolved[0]!.incident.state).toBe('resolved');
    expect(resolved[0]!.retrospective).toContain('time to resolve 12 min 0 s');
    fail = true;
    const r = await store.act({ incidentId: fired.incidentIds[1]!, action: 'resolve', actor: responder, rationale: 'fixed by rollback' });
    expect(r.incident.state).toBe('resolved');
    expect(errors).toHaveLength(1);
  });
});
