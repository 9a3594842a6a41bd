import type { Registry } from 'prom-client';
import type { EvidenceStore } from './contract.js';
import type { DeliveryOutcome } from './webhook.js';

export interface EvidenceMetrics {
  /** Pass as `onDelivery` to createAlertmanagerWebhook(). */
  onDelivery(outcome: DeliveryOutcome): void;
}

/**
 * Ingest's own metrics, registered on a prom-client `Registry` (an optional peer):
 * - `parapet_evidence_deliveries_total{outcome}` — webhook deliveries by outcome
 *   (`ok`, `invalid`, `unauthorized`, `too_large`, `unavailable`, `error`);
 * - `parapet_evidence_ingest_duration_seconds` — webhook latency, commit included;
 * - `parapet_evidence_incidents{state}` — incidents by state, read from the store at scrape time.
 */
export async function createEvidenceMetrics(args: { registry: Registry; store: EvidenceStore }): Promise<EvidenceMetrics> {
  const prom = await import('prom-client');
  const deliveries = new prom.Counter({ name: 'parapet_evidence_deliveries_total', help: 'Alertmanager webhook deliveries by outcome.', labelNames: ['outcome'], registers: [args.registry] });
  for (const outcome of ['ok', 'invalid', 'unauthorized', 'too_large', 'unavailable', 'error']) deliveries.inc({ outcome }, 0);
  const latency = new prom.Histogram({
    name: 'parapet_evidence_ingest_duration_seconds',
    help: 'Alertmanager webhook handling time, database commit included.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [args.registry],
  });
  const store = args.store;
  new prom.Gauge({
    name: 'parapet_evidence_incidents',
    help: 'Incidents by state.',
    labelNames: ['state'],
    registers: [args.registry],
    async collect() {
      try {
        const health = await store.health();
        for (const [state, n] of Object.entries(health.incidentsByState)) this.set({ state }, n);
      } catch {
        // a scrape must not fail because the database is down; the deliveries counter shows it
      }
    },
  });
  return {
    onDelivery(o) {
      deliveries.inc({ outcome: o.outcome });
      latency.observe(o.seconds);
    },
  };
}
