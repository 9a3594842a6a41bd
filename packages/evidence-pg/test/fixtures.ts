import type { AlertmanagerPayload } from '../src/index.js';

export interface AlertSpec {
  fingerprint: string;
  status?: 'firing' | 'resolved';
  startsAt: string;
  endsAt?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export const ZERO = '0001-01-01T00:00:00Z';

/** An Alertmanager v4 payload shaped exactly as Alertmanager sends it (incident-anchors §1.8). */
export function payload(args: { groupKey?: string; alerts: AlertSpec[]; truncatedAlerts?: number; receiver?: string }): AlertmanagerPayload {
  const alerts = args.alerts.map((a) => ({
    status: a.status ?? 'firing',
    labels: { alertname: 'HighErrorRate', env: 'prod', service: 'checkout', severity: 'critical', slo: 'checkout-availability', instance: a.fingerprint, ...a.labels },
    annotations: { summary: `checkout errors on ${a.fingerprint}`, runbook_url: 'https://runbooks.example.com/checkout/high-error-rate', ...a.annotations },
    startsAt: a.startsAt,
    endsAt: a.status === 'resolved' ? (a.endsAt ?? a.startsAt) : ZERO,
    generatorURL: 'http://prometheus.example.com:9090/graph?g0.expr=x',
    fingerprint: a.fingerprint,
  }));
  const status = alerts.every((a) => a.status === 'resolved') ? 'resolved' : 'firing';
  return {
    receiver: args.receiver ?? 'parapet',
    status,
    alerts,
    notification_reason: 'first notification',
    groupLabels: { alertname: 'HighErrorRate', service: 'checkout' },
    commonLabels: { alertname: 'HighErrorRate', env: 'prod', service: 'checkout', severity: 'critical', slo: 'checkout-availability' },
    commonAnnotations: { runbook_url: 'https://runbooks.example.com/checkout/high-error-rate' },
    routeLabels: {},
    externalURL: 'http://alertmanager.example.com:9093',
    version: '4',
    groupKey: args.groupKey ?? '{}/{severity="critical"}:{alertname="HighErrorRate", service="checkout"}',
    truncatedAlerts: args.truncatedAlerts ?? 0,
  } as AlertmanagerPayload;
}

export const responder = { id: 'u-ada', name: 'Ada', role: 'responder' as const };
export const viewer = { id: 'u-vic', name: 'Vic', role: 'viewer' as const };

