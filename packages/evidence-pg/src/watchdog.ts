/**
 * Loop health. The always-firing watchdog alert proves the whole alert path (Prometheus →
 * Alertmanager → this webhook) works: ingest records its arrival, `health()` reports when it
 * stops. Add the rule to your generated rules and the route to Alertmanager's config.
 */

/** A Prometheus alerting rule that always fires (`vector(1)`). */
export function watchdogAlertRule(args: { alertname?: string } = {}) {
  return {
    alert: args.alertname ?? 'ParapetWatchdog',
    expr: 'vector(1)',
    labels: { severity: 'none', parapet: 'watchdog' },
    annotations: {
      summary: 'Always firing: proves the alert path reaches Parapet.',
      description: 'If Parapet stops receiving this alert, the path from Prometheus through Alertmanager to the webhook is broken.',
    },
  };
}

/**
 * An Alertmanager route sending the watchdog to the Parapet receiver often enough for the
 * heartbeat check (`repeat_interval` well below `heartbeatMaxAgeMs`, default 15 min).
 */
export function watchdogRoute(args: { receiver: string; alertname?: string; repeatInterval?: string }) {
  return {
    receiver: args.receiver,
    matchers: [`alertname="${args.alertname ?? 'ParapetWatchdog'}"`],
    group_wait: '0s',
    group_interval: '1m',
    repeat_interval: args.repeatInterval ?? '5m',
    continue: false,
  };
}
