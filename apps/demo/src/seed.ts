import { ALERTNAME_LABEL, SEVERITY_LABEL, SLO_LABEL, WEBHOOK_RECEIVER, alertName } from '@parapet/core/slo';
import type { EvidenceStoreHandle } from '@parapet/evidence-pg';

/** Marks seeded incidents: their alerts carry `demo_seed="true"`. */
export const SEED_LABEL = 'demo_seed';

function alert(slo: string, severity: 'page' | 'ticket', status: 'firing' | 'resolved', startsAt: Date, endsAt?: Date) {
  const labels = { [ALERTNAME_LABEL]: alertName({ name: slo }, severity), [SLO_LABEL]: slo, [SEVERITY_LABEL]: severity, [SEED_LABEL]: 'true' };
  return {
    status, labels, fingerprint: `seed-${slo}-${severity}`, startsAt: startsAt.toISOString(),
    ...(endsAt ? { endsAt: endsAt.toISOString() } : {}),
    annotations: { summary: `(seeded) ${slo} burned its error budget`, description: 'A seeded incident so the demo is not empty: it came from no real alert.' },
  };
}

/**
 * A few incidents, ingested as Alertmanager would send them, into an empty database only: a
 * resolved email-acceptance page from yesterday and an open latency ticket.
 */
export async function seedIncidents(store: EvidenceStoreHandle): Promise<number> {
  const existing = await store.listIncidents({ state: 'all', limit: 1 });
  if (existing.items.length > 0) return 0;
  const hour = 3_600_000;
  const now = Date.now();
  const payloads = [
    { slo: 'delivery_saas_email_acceptance', severity: 'page' as const, status: 'firing' as const, startsAt: new Date(now - 26 * hour) },
    { slo: 'delivery_saas_email_acceptance', severity: 'page' as const, status: 'resolved' as const, startsAt: new Date(now - 26 * hour), endsAt: new Date(now - 25 * hour) },
    { slo: 'web_saas_http_latency', severity: 'ticket' as const, status: 'firing' as const, startsAt: new Date(now - 2 * hour) },
  ];
  for (const p of payloads) {
    const a = alert(p.slo, p.severity, p.status, p.startsAt, p.endsAt);
    await store.ingestAlertmanager({
      payload: {
        version: '4', groupKey: `{}:{${SLO_LABEL}="${p.slo}"}`, status: p.status, receiver: WEBHOOK_RECEIVER,
        groupLabels: { [SLO_LABEL]: p.slo }, commonLabels: a.labels, commonAnnotations: a.annotations, externalURL: 'http://demo-seed', alerts: [a],
      },
    });
  }
  return 2;
}
