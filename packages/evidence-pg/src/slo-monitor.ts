import { SLO_LABEL, ZERO_TIME, alertFingerprint, alertmanagerPayloads, type SloAlert, type SloAlertIngest } from '@parapet/core/slo';
import type { EvidenceStore } from './contract.js';

export interface SloAlertIngestOptions {
  /** The evidence store (createEvidenceStore()). */
  readonly store: EvidenceStore;
  /** Written as the payload's externalURL (a link back to your app). */
  readonly externalURL?: string;
}

/**
 * The evidence-store delivery for the in-process SLO monitor (`startSloMonitor({ evidence })`
 * from @parapet/core/slo). Alerts are ingested as the Alertmanager delivery of the same alerts:
 * grouped like the generated route (alertname, slo, severity), the same groupKey, and the
 * fingerprint recomputed here with Alertmanager's algorithm from the label set, so dedupe,
 * correlation and auto-resolve behave exactly as for Alertmanager deliveries. `firing()` lists the
 * SLO alerts still firing in the store, so a restarted monitor re-seeds instead of re-paging.
 */
export function createSloAlertIngest(options: SloAlertIngestOptions): SloAlertIngest {
  const { store, externalURL } = options;
  return {
    async ingest(alerts: readonly SloAlert[]) {
      const normalised = alerts.map((a) => ({ ...a, fingerprint: alertFingerprint(a.labels) }));
      for (const payload of alertmanagerPayloads(normalised, externalURL === undefined ? {} : { externalURL })) await store.ingestAlertmanager({ payload });
    },
    async firing() {
      const rows = await store.db
        .selectFrom('parapet_incident_alert')
        .select(['fingerprint', 'labels', 'annotations', 'starts_at'])
        .where('status', '=', 'firing')
        .execute();
      return rows
        .filter((r) => typeof (r.labels as Record<string, string>)[SLO_LABEL] === 'string')
        .map((r) => ({
          status: 'firing' as const,
          labels: r.labels as Record<string, string>,
          annotations: (r.annotations ?? {}) as Record<string, string>,
          startsAt: new Date(r.starts_at as unknown as string).toISOString(),
          endsAt: ZERO_TIME,
          generatorURL: '',
          fingerprint: r.fingerprint,
        }));
    },
  };
}
