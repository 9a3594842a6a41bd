import type { Registry } from 'prom-client';
import type { ResponseEngine } from './engine.js';

export interface ResponseMetrics {
  /** Stops counting (unsubscribes from the engine). */
  close(): void;
}

/**
 * The response layer's own health as Prometheus metrics (prom-client is an optional peer), so a
 * broken notifier is itself alertable:
 * - `parapet_response_outbox_lag_seconds` — age of the oldest undelivered notification (0 when none);
 * - `parapet_response_outbox_pending` — undelivered notifications;
 * - `parapet_response_notification_failures_total{channel}` — failed attempts in this process (retried or given up);
 * - `parapet_response_notifications_failed{channel}` — notifications given up, from the database;
 * - `parapet_response_escalation_lag_seconds` — how late the most overdue escalation is (0 when none).
 *
 * Suggested alerts: `parapet_response_outbox_lag_seconds > 300`,
 * `increase(parapet_response_notification_failures_total[15m]) > 3`, `parapet_response_escalation_lag_seconds > 120`.
 */
export async function createResponseMetrics(args: { registry: Registry; engine: ResponseEngine; channels?: readonly string[] }): Promise<ResponseMetrics> {
  const prom = await import('prom-client');
  const failures = new prom.Counter({ name: 'parapet_response_notification_failures_total', help: 'Failed notification attempts (retried or given up), by channel.', labelNames: ['channel'], registers: [args.registry] });
  for (const channel of args.channels ?? []) failures.inc({ channel }, 0);
  const engine = args.engine;
  let last: Awaited<ReturnType<ResponseEngine['health']>> | undefined;
  let pendingRead: Promise<void> | undefined;
  const read = () =>
    (pendingRead ??= engine
      .health()
      .then((h) => {
        last = h;
      })
      .catch(() => {
        // a scrape must not fail because the database is down
      })
      .finally(() => {
        setTimeout(() => (pendingRead = undefined), 0);
      }));
  new prom.Gauge({
    name: 'parapet_response_outbox_lag_seconds',
    help: 'Age of the oldest undelivered notification in the outbox (0 when empty).',
    registers: [args.registry],
    async collect() {
      await read();
      if (last) this.set(last.outbox.oldestPendingAgeSeconds);
    },
  });
  new prom.Gauge({
    name: 'parapet_response_outbox_pending',
    help: 'Undelivered notifications in the outbox.',
    registers: [args.registry],
    async collect() {
      await read();
      if (last) this.set(last.outbox.pending);
    },
  });
  new prom.Gauge({
    name: 'parapet_response_notifications_failed',
    help: 'Notifications given up (permanent error or attempts exhausted), by channel.',
    labelNames: ['channel'],
    registers: [args.registry],
    async collect() {
      await read();
      if (last) for (const [channel, n] of Object.entries(last.failuresByChannel)) this.set({ channel }, n);
    },
  });
  new prom.Gauge({
    name: 'parapet_response_escalation_lag_seconds',
    help: 'How overdue the most overdue escalation is (0 when none is due).',
    registers: [args.registry],
    async collect() {
      await read();
      if (last) this.set(last.escalationLagSeconds);
    },
  });
  const unsubscribe = engine.onNotification((e) => {
    if (e.phase === 'retry' || e.phase === 'failed') failures.inc({ channel: e.channel });
  });
  return { close: unsubscribe };
}

/**
 * Prometheus alerting rules on the metrics above, so a broken notifier pages through another path
 * (route them to a receiver that does not depend on these notifiers, e.g. Alertmanager's own).
 * Returns one rule group; add it to your rule files.
 */
export function responseAlertRules(args: { outboxLagSeconds?: number; failuresPer15m?: number; escalationLagSeconds?: number; severity?: string } = {}) {
  const severity = args.severity ?? 'page';
  return {
    name: 'parapet_response_health',
    rules: [
      {
        alert: 'ParapetNotificationsStuck',
        expr: `max(parapet_response_outbox_lag_seconds) > ${args.outboxLagSeconds ?? 300}`,
        for: '5m',
        labels: { severity, parapet: 'response' },
        annotations: { summary: 'Parapet notifications are not being delivered.', description: 'The oldest undelivered notification is older than the threshold: no engine is running, or every attempt fails. Check /api/response/health and the incident timelines.' },
      },
      {
        alert: 'ParapetNotifierFailing',
        expr: `sum by (channel) (increase(parapet_response_notification_failures_total[15m])) > ${args.failuresPer15m ?? 3}`,
        labels: { severity, parapet: 'response' },
        annotations: { summary: 'A Parapet notification channel is failing ({{ $labels.channel }}).', description: 'Attempts to this channel fail repeatedly: a revoked Slack/Teams URL, a rotated secret, or the receiver is down.' },
      },
      {
        alert: 'ParapetEscalationsLate',
        expr: `max(parapet_response_escalation_lag_seconds) > ${args.escalationLagSeconds ?? 120}`,
        for: '2m',
        labels: { severity, parapet: 'response' },
        annotations: { summary: 'Parapet escalations are overdue.', description: 'An escalation is due but was not paged: no response engine is ticking.' },
      },
    ],
  };
}
