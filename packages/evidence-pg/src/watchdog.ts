/**
 * Loop health. The always-firing watchdog alert proves the whole alert path (Prometheus →
 * Alertmanager → this webhook) works: ingest records its arrival, `health()` reports when it
 * stops. `parapet gen prometheus` / `parapet gen alertmanager` already emit the rule and the
 * route; these helpers give the same objects (one source: `@parapet/core/slo`'s `WATCHDOG_*`
 * conventions) for hand-written Prometheus and Alertmanager configs.
 */
import {
  ALERTNAME_LABEL, WATCHDOG_ALERTNAME, WATCHDOG_ANNOTATIONS, WATCHDOG_EXPR, WATCHDOG_LABELS, WATCHDOG_ROUTE_TIMING, WEBHOOK_RECEIVER,
} from '@parapet/core/slo';

/** A Prometheus alerting rule that always fires (`vector(1)`), as the generator emits it. */
export function watchdogAlertRule(args: { alertname?: string } = {}) {
  return {
    alert: args.alertname ?? WATCHDOG_ALERTNAME,
    expr: WATCHDOG_EXPR,
    labels: { ...WATCHDOG_LABELS },
    annotations: { ...WATCHDOG_ANNOTATIONS },
  };
}

/**
 * An Alertmanager route sending the watchdog to the Parapet receiver often enough for the
 * heartbeat check (`repeat_interval` + `group_interval` well below `heartbeatMaxAgeMs`, default
 * 15 min), as the generator emits it. `receiver` defaults to the generated `parapet-webhook`.
 */
export function watchdogRoute(args: { receiver?: string; alertname?: string; repeatInterval?: string } = {}) {
  return {
    receiver: args.receiver ?? WEBHOOK_RECEIVER,
    matchers: [`${ALERTNAME_LABEL}="${args.alertname ?? WATCHDOG_ALERTNAME}"`],
    ...WATCHDOG_ROUTE_TIMING,
    ...(args.repeatInterval ? { repeat_interval: args.repeatInterval } : {}),
    continue: false,
  };
}
