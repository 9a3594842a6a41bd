// One builder for the Alertmanager v4 webhook payloads the tests send (shape: incident-anchors
// §1.8): evidence-pg, response, mcp and ui-react each pass their own default labels.

export interface AlertSpec {
  fingerprint: string;
  status?: 'firing' | 'resolved';
  startsAt: string;
  /** For a resolved alert; default its `startsAt`. */
  endsAt?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface AlertmanagerPayloadOptions {
  alerts: readonly AlertSpec[];
  /** Labels and annotations every alert starts from (given its fingerprint); its own override them. */
  labels: (fingerprint: string) => Record<string, string>;
  annotations: (fingerprint: string) => Record<string, string>;
  groupKey: string;
  receiver?: string;
  truncatedAlerts?: number;
  generatorURL?: string;
  groupLabels?: Record<string, string>;
  commonLabels?: Record<string, string>;
  commonAnnotations?: Record<string, string>;
  /** Further top-level fields (`notification_reason`, `routeLabels`, ...). */
  extra?: Record<string, unknown>;
}

/** Alertmanager's zero time: `endsAt` of a firing alert. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** An Alertmanager v4 payload shaped exactly as Alertmanager sends it. Cast it to the package's payload type. */
export function alertmanagerPayload(options: AlertmanagerPayloadOptions) {
  const alerts = options.alerts.map((a) => ({
    status: a.status ?? 'firing',
    labels: { ...options.labels(a.fingerprint), ...a.labels },
    annotations: { ...options.annotations(a.fingerprint), ...a.annotations },
    startsAt: a.startsAt,
    endsAt: a.status === 'resolved' ? (a.endsAt ?? a.startsAt) : ZERO_TIME,
    generatorURL: options.generatorURL ?? 'http://prometheus.example.com:9090/graph',
    fingerprint: a.fingerprint,
  }));
  return {
    receiver: options.receiver ?? 'parapet',
    status: alerts.every((a) => a.status === 'resolved') ? 'resolved' : 'firing',
    alerts,
    ...options.extra,
    groupLabels: options.groupLabels ?? {},
    commonLabels: options.commonLabels ?? {},
    commonAnnotations: options.commonAnnotations ?? {},
    externalURL: 'http://alertmanager.example.com:9093',
    version: '4',
    groupKey: options.groupKey,
    truncatedAlerts: options.truncatedAlerts ?? 0,
  };
}
