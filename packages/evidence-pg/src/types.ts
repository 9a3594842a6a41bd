/**
 * The public shapes of the evidence spine: what the store returns and what the operator API
 * serialises. Timestamps are ISO 8601 strings in UTC with microsecond precision
 * (`2026-08-20T09:14:03.512345Z`): PostgreSQL stores microseconds and a JS `Date` would drop them.
 */

/** Incident lifecycle: `open` → `investigating` → `resolved` (and `resolved` → `open` on reopen). */
export type IncidentState = 'open' | 'investigating' | 'resolved';

/** Filter for the queue: `active` = open + investigating (the default), `resolved`, or `all`. */
export type IncidentStateFilter = 'active' | 'resolved' | 'all';

/** Who acts. `viewer` may read; `responder` may also act. */
export interface Actor {
  id: string;
  name: string;
  role: 'viewer' | 'responder';
}

/** Escalation state of an incident. Acknowledging stops escalation (`stopped: true`). */
export interface Escalation {
  /** 0 before the first escalation; +1 per `escalate`. */
  step: number;
  /** When the next escalation is due, when one is scheduled. */
  nextAt: string | null;
  /** Escalation is suppressed until this time, when set. */
  suppressedUntil: string | null;
  /** True once someone acknowledged (or the incident resolved): no further automatic steps. */
  stopped: boolean;
}

/** One alert known to an incident (one per fingerprint; several in `groupKey` correlation). */
export interface IncidentAlert {
  fingerprint: string;
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  startsAt: string;
  endsAt: string | null;
}

export interface Incident {
  /** Opaque id (a decimal string). */
  id: string;
  state: IncidentState;
  alertname: string;
  slo: string | null;
  severity: string | null;
  /** The alert fingerprint (fingerprint correlation) or the first alert's (group correlation). */
  fingerprint: string;
  /** Alertmanager `groupKey` of the delivery that opened the incident. */
  groupKey: string | null;
  /** The correlation key: the fingerprint, or `groupKey` when correlating by group. */
  correlationKey: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runbookUrl: string | null;
  traceId: string | null;
  triageSummary: string | null;
  openedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  assignee: string | null;
  resolvedAt: string | null;
  escalation: Escalation;
  /** The alerts behind this incident. */
  alerts: IncidentAlert[];
  updatedAt: string;
}

/** Every kind of timeline entry. */
export const TIMELINE_TYPES = [
  'alert_fired',
  'alert_refired',
  'alert_resolved',
  'acknowledged',
  'note',
  'operator_action',
  'system_action',
  'notification',
  'deploy',
  'flag_change',
  'triage_snapshot',
  'truncated_alerts',
] as const;
export type TimelineType = (typeof TIMELINE_TYPES)[number];

export interface TimelineEntry {
  id: string;
  incidentId: string;
  type: TimelineType;
  at: string;
  /** The actor's id, or null for entries written by Alertmanager ingest and the system. */
  actor: string | null;
  summary: string;
  data: Record<string, unknown>;
}

export type AuditOutcome = 'succeeded' | 'rejected';

export interface Audit {
  id: string;
  incidentId: string | null;
  actor: { id: string; name: string; role: string };
  action: string;
  rationale: string;
  idempotencyKey: string | null;
  outcome: AuditOutcome;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  at: string;
}

export interface ActionItem {
  id: string;
  incidentId: string;
  title: string;
  /** What concrete object needs follow-up (a runbook URL, a dashboard, a ticket). */
  target: string | null;
  status: 'open' | 'done';
  createdBy: string;
  createdAt: string;
}

export interface IncidentDetail {
  incident: Incident;
  timeline: TimelineEntry[];
  audits: Audit[];
  actionItems: ActionItem[];
}

export interface IncidentPage {
  items: Incident[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export type SystemEventKind = 'deploy' | 'flag_change';

export interface SystemEvent {
  id: string;
  kind: SystemEventKind;
  at: string;
  service: string | null;
  slo: string | null;
  summary: string;
  data: Record<string, unknown>;
}

/** Per-alert outcome of one Alertmanager delivery. */
export type AlertOutcome = 'opened' | 'added' | 'refired' | 'reopened' | 'resolved' | 'duplicate' | 'stale' | 'unchanged';

export interface IngestResult {
  /** Incidents touched, by id. */
  incidentIds: string[];
  alerts: { fingerprint: string; incidentId: string | null; outcome: AlertOutcome }[];
  /** True when the delivery carried the watchdog heartbeat. */
  heartbeat: boolean;
}

/** What `health()` reports about the alert path (loop health). */
export interface LoopHealth {
  /** Last time any Alertmanager delivery was committed. */
  lastDeliveryAt: string | null;
  /** Last time the always-firing watchdog alert arrived. */
  lastHeartbeatAt: string | null;
  /** `ok`, `missing` (never seen) or `stale` (older than the allowed gap): the alert path is broken. */
  heartbeat: 'ok' | 'missing' | 'stale';
  message: string;
  incidentsByState: Record<IncidentState, number>;
}
