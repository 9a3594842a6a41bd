import { ALERTNAME_LABEL, SEVERITY_LABEL, SLO_LABEL, WEBHOOK_RECEIVER } from '../conventions.js';
import { alertFingerprint } from '../alertmanager/fingerprint.js';

/** One alert state change, Alertmanager-shaped (the `alerts[]` item of a version 4 webhook). */
export interface SloAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** RFC 3339. */
  readonly startsAt: string;
  /** RFC 3339; Alertmanager's zero time for firing alerts. */
  readonly endsAt: string;
  readonly generatorURL: string;
  /** Alertmanager's fingerprint of `labels`. */
  readonly fingerprint: string;
}

/** Alertmanager writes this for alerts that have not ended. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * Where the monitor's alerts go when the evidence store is present. `@parapet/evidence-pg`
 * exports `createSloAlertIngest({ store })`, which implements this; core never imports it.
 */
export interface SloAlertIngest {
  /** Ingests alert state changes exactly as an Alertmanager delivery of the same alerts would be. */
  ingest(alerts: readonly SloAlert[]): Promise<void>;
  /** Alerts still firing in the store (re-seeds the monitor after a restart: no re-page storm). */
  firing(): Promise<readonly SloAlert[]>;
}

/** Builds the Alertmanager alert item for a label set: fingerprint, zero end time while firing. */
export function sloAlert(args: { labels: Readonly<Record<string, string>>; annotations: Readonly<Record<string, string>>; startsAt: string; endsAt?: string; generatorURL?: string }): SloAlert {
  return {
    status: args.endsAt ? 'resolved' : 'firing',
    labels: args.labels,
    annotations: args.annotations,
    startsAt: args.startsAt,
    endsAt: args.endsAt ?? ZERO_TIME,
    generatorURL: args.generatorURL ?? '',
    fingerprint: alertFingerprint(args.labels),
  };
}

/** The generated Alertmanager route groups by these labels (alertmanager/config.ts). */
const GROUP_BY = [ALERTNAME_LABEL, SLO_LABEL, SEVERITY_LABEL] as const;

const quote = (v: string) => JSON.stringify(v);

/**
 * Alertmanager version 4 webhook payloads for a batch of alerts, one per group of the generated
 * route (`alertname`, `slo`, `severity`) with the groupKey Alertmanager writes for the evidence
 * route (`{}/{slo=~".+"}:{alertname="...", severity="...", slo="..."}`), so an in-process delivery
 * and an Alertmanager delivery of the same alert are indistinguishable to the evidence store.
 */
export function alertmanagerPayloads(alerts: readonly SloAlert[], options: { receiver?: string; externalURL?: string } = {}) {
  const groups = new Map<string, SloAlert[]>();
  for (const alert of alerts) {
    const key = GROUP_BY.map((l) => alert.labels[l] ?? '').join('\u0000');
    const list = groups.get(key) ?? [];
    list.push(alert);
    groups.set(key, list);
  }
  return [...groups.values()].map((list) => {
    const groupLabels = Object.fromEntries([...GROUP_BY].sort().filter((l) => list[0]!.labels[l] !== undefined).map((l) => [l, list[0]!.labels[l]!]));
    const common = (pick: (a: SloAlert) => Readonly<Record<string, string>>) =>
      Object.fromEntries(Object.entries(pick(list[0]!)).filter(([k, v]) => list.every((a) => pick(a)[k] === v)));
    return {
      receiver: options.receiver ?? WEBHOOK_RECEIVER,
      status: list.every((a) => a.status === 'resolved') ? ('resolved' as const) : ('firing' as const),
      alerts: list.map((a) => ({ ...a })),
      groupLabels,
      commonLabels: common((a) => a.labels),
      commonAnnotations: common((a) => a.annotations),
      externalURL: options.externalURL ?? '',
      version: '4' as const,
      groupKey: `{}/{${SLO_LABEL}=~".+"}:{${Object.entries(groupLabels).map(([k, v]) => `${k}=${quote(v)}`).join(', ')}}`,
      truncatedAlerts: 0,
    };
  });
}

export type AlertmanagerWebhookPayload = ReturnType<typeof alertmanagerPayloads>[number];
