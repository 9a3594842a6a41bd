import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/**
 * The spine's tables as Kysely sees them. Timestamps are written as ISO strings (PostgreSQL keeps
 * microseconds) and read back through `isoUtc()` so nothing is rounded to milliseconds.
 */
type Timestamp = ColumnType<Date | string, string, string>;
type NullableTimestamp = ColumnType<Date | string | null, string | null | undefined, string | null>;
type Json<T extends object | null = Record<string, unknown>> = JSONColumnType<T, string, string>;
type Id = ColumnType<string, never, never>;

export interface IncidentTable {
  id: Generated<Id>;
  state: 'open' | 'investigating' | 'resolved';
  correlation_key: string;
  fingerprint: string;
  group_key: string | null;
  alertname: string;
  severity: string | null;
  slo: string | null;
  service: string | null;
  labels: Json<Record<string, string>>;
  annotations: Json<Record<string, string>>;
  runbook_url: string | null;
  trace_id: string | null;
  triage_summary: string | null;
  escalation_step: Generated<number>;
  next_escalation_at: NullableTimestamp;
  suppressed_until: NullableTimestamp;
  escalation_stopped: Generated<boolean>;
  opened_at: Timestamp;
  acknowledged_at: NullableTimestamp;
  acknowledged_by: string | null;
  assignee: string | null;
  resolved_at: NullableTimestamp;
  updated_at: Timestamp;
  change_seq: Generated<ColumnType<string, never, never>>;
}

export interface IncidentAlertTable {
  incident_id: string;
  fingerprint: string;
  status: 'firing' | 'resolved';
  labels: Json<Record<string, string>>;
  annotations: Json<Record<string, string>>;
  starts_at: Timestamp;
  ends_at: NullableTimestamp;
}

export interface TimelineTable {
  id: Generated<Id>;
  incident_id: string;
  type: string;
  at: Timestamp;
  actor: string | null;
  summary: string;
  data: Json;
  dedupe_key: string | null;
}

export interface AuditTable {
  id: Generated<Id>;
  incident_id: string | null;
  actor_id: string;
  actor_name: string;
  actor_role: string;
  action: string;
  rationale: string;
  idempotency_key: string | null;
  outcome: 'succeeded' | 'rejected';
  before: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  after: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  at: Timestamp;
}

export interface ActionItemTable {
  id: Generated<Id>;
  incident_id: string;
  title: string;
  target: string | null;
  status: 'open' | 'done';
  created_by: string;
  created_at: Timestamp;
}

export interface SystemEventTable {
  id: Generated<Id>;
  kind: 'deploy' | 'flag_change';
  at: Timestamp;
  service: string | null;
  slo: string | null;
  summary: string;
  data: Json;
  dedupe_key: string;
}

export interface ClaimTable {
  key: string;
  owner: string;
  state: 'claimed' | 'done';
  lease_until: Timestamp;
  claimed_at: Timestamp;
}

export interface IdempotencyTable {
  actor_id: string;
  route: string;
  key: string;
  request_hash: string;
  status: number;
  response: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface LoopTable {
  name: string;
  at: Timestamp;
}

export interface EvidenceDatabase {
  parapet_incident: IncidentTable;
  parapet_incident_alert: IncidentAlertTable;
  parapet_timeline: TimelineTable;
  parapet_audit: AuditTable;
  parapet_action_item: ActionItemTable;
  parapet_system_event: SystemEventTable;
  parapet_claim: ClaimTable;
  parapet_idempotency: IdempotencyTable;
  parapet_loop: LoopTable;
}
