import { alertmanagerPayload, type AlertSpec } from '@parapet/vitest-preset/alertmanager';
import type { AlertmanagerPayload } from '../src/index.js';

export type { AlertSpec } from '@parapet/vitest-preset/alertmanager';
export { ZERO_TIME as ZERO } from '@parapet/vitest-preset/alertmanager';

/** An Alertmanager v4 payload shaped exactly as Alertmanager sends it (incident-anchors §1.8). */
export function payload(args: { groupKey?: string; alerts: AlertSpec[]; truncatedAlerts?: number; receiver?: string }): AlertmanagerPayload {
  return alertmanagerPayload({
    alerts: args.alerts,
    labels: (fp) => ({ alertname: 'HighErrorRate', env: 'prod', service: 'checkout', severity: 'critical', slo: 'checkout-availability', instance: fp }),
    annotations: (fp) => ({ summary: `checkout errors on ${fp}`, runbook_url: 'https://runbooks.example.com/checkout/high-error-rate' }),
    generatorURL: 'http://prometheus.example.com:9090/graph?g0.expr=x',
    extra: { notification_reason: 'first notification', routeLabels: {} },
    groupLabels: { alertname: 'HighErrorRate', service: 'checkout' },
    commonLabels: { alertname: 'HighErrorRate', env: 'prod', service: 'checkout', severity: 'critical', slo: 'checkout-availability' },
    commonAnnotations: { runbook_url: 'https://runbooks.example.com/checkout/high-error-rate' },
    groupKey: args.groupKey ?? '{}/{severity="critical"}:{alertname="HighErrorRate", service="checkout"}',
    ...(args.receiver !== undefined && { receiver: args.receiver }),
    ...(args.truncatedAlerts !== undefined && { truncatedAlerts: args.truncatedAlerts }),
  }) as AlertmanagerPayload;
}

export const responder = { id: 'u-ada', name: 'Ada', role: 'responder' as const };
export const viewer = { id: 'u-vic', name: 'Vic', role: 'viewer' as const };

