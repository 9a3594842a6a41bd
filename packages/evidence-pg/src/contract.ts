import type { Closeable } from '@parapet/core/integration';
import type { Kysely, Transaction } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { AlertmanagerPayload } from './alertmanager.js';
import type { EvidenceDatabase } from './schema.js';
import type {
  ActionItem,
  Actor,
  Incident,
  IncidentDetail,
  IncidentPage,
  IncidentStateFilter,
  IngestResult,
  LoopHealth,
  SystemEvent,
} from './types.js';

/**
 * The evidence store contract. Every method takes one object argument. Every method that writes
 * runs in one database transaction and commits before it resolves: a resolved promise means the
 * change is durable, a rejected one means nothing was written.
 *
 * Targets: embedded PGlite (one connection, one process), PostgreSQL 14+, and PostgreSQL behind
 * PgBouncer in transaction pooling mode. The implementation uses no session state (only
 * `set_config(..., true)`), only transaction-scoped advisory locks, and no LISTEN/NOTIFY.
 */
export interface EvidenceStore extends Closeable {
  /** The Kysely instance the store speaks through (typed with the spine's tables). */
  readonly db: Kysely<EvidenceDatabase>;

  /**
   * Runs `fn` inside one store transaction. Extension packages write their own rows here (an
   * outbox row committed with the change that caused it). Retries nothing: a failure rolls back.
   */
  transaction<T>(fn: (trx: Transaction<EvidenceDatabase>) => Promise<T>): Promise<T>;

  /**
   * Records one Alertmanager webhook delivery (the whole group, not a diff).
   *
   * Guarantees:
   * - **Idempotent**: replaying the same payload any number of times leaves identical state
   *   (each alert-state event `(correlation key, fingerprint, status, startsAt, endsAt)` is
   *   stored once under a unique constraint).
   * - **Concurrency-safe**: concurrent deliveries of one group, from any number of processes,
   *   yield exactly one active incident per correlation key. Deliveries serialise on a
   *   transaction-scoped advisory lock per key, and a partial unique index on the active
   *   correlation key makes a second active incident impossible.
   * - **Order-tolerant**: a notification older than what is stored (an older `startsAt`, or a
   *   firing notification for an alert already seen resolved) never moves state backwards.
   * - Alerts are matched by fingerprint across the whole payload; an alert missing from a later
   *   payload is not resolved; a resolved alert resolves its incident whatever its state.
   */
  ingestAlertmanager(args: { payload: AlertmanagerPayload }): Promise<IngestResult>;

  /**
   * One page of the queue in a stable order: `openedAt` descending, then `id` descending.
   * Keyset pagination (no OFFSET) with an opaque cursor that keeps microsecond timestamps exact:
   * no row is skipped or repeated while rows are added.
   */
  listIncidents(args?: { state?: IncidentStateFilter; severity?: string; slo?: string; limit?: number; cursor?: string }): Promise<IncidentPage>;

  /**
   * A cheap change token for the queue: it changes whenever any incident changes (created,
   * transitioned, re-fired). Served as the `ETag` of `GET /incidents`.
   */
  changeToken(): Promise<string>;

  /** An incident with its timeline (chronological), audits and action items; undefined if unknown. */
  getIncident(args: { id: string }): Promise<IncidentDetail | undefined>;

  /**
   * Applies one operator action. Each action requires an actor and a non-empty rationale (the
   * database checks the rationale too) and writes its audit row and timeline entry in the same
   * transaction as the change.
   *
   * - `idempotencyKey`: scoped to the actor and the action; a retried call with the same key and
   *   arguments returns the first result with no second effect; the same key with different
   *   arguments throws `IDEMPOTENCY_KEY_REUSED` (422). Keys are kept `idempotencyTtlMs`.
   * - An invalid transition throws `CONFLICT` (409) and leaves an audit row with outcome
   *   `rejected`. Concurrent actions on one incident serialise on its row lock.
   */
  act(args: OperatorActionArgs): Promise<OperatorActionResult>;

  /**
   * Appends a system-written timeline entry (notifiers: `notification`; triage: `triage_snapshot`,
   * which also sets the incident's triage summary; automation: `system_action`). Idempotent per
   * `dedupeKey` when given. Runs in `trx` when given (an outbox row and its entry commit together).
   */
  recordTimelineEntry(args: { incidentId: string; type: 'notification' | 'triage_snapshot' | 'system_action'; summary: string; data?: Record<string, unknown>; at?: string; dedupeKey?: string; trx?: Transaction<EvidenceDatabase> }): Promise<void>;

  /**
   * Adds an action item (one concrete object needing follow-up) to an incident, audited like an
   * operator action. Idempotent per (incident, title): adding the same title again returns the
   * existing item.
   */
  addActionItem(args: { incidentId: string; title: string; target?: string; actor: Actor; rationale: string }): Promise<ActionItem>;

  /** Records a deploy marker (a system event) and correlates it onto incidents that open shortly after. */
  recordDeploy(args: { version: string; service?: string; slo?: string; at?: string; actor?: string; url?: string; summary?: string }): Promise<SystemEvent>;

  /** Records a feature-flag change, correlated like deploys. */
  recordFlagChange(args: { flag: string; from?: unknown; to?: unknown; service?: string; slo?: string; at?: string; actor?: string }): Promise<SystemEvent>;

  /**
   * Claims work that must run once across processes (an escalation step, an automation run).
   * Exactly one concurrent caller gets `true`. A claim whose lease expired without `completeClaim`
   * can be taken over (the owner crashed); a completed claim is never handed out again.
   */
  claim(args: { key: string; owner: string; leaseMs: number }): Promise<boolean>;

  /** Marks a claim done (only its current owner can). Returns false if the lease was lost. */
  completeClaim(args: { key: string; owner: string }): Promise<boolean>;

  /** Loop health: last delivery, last watchdog heartbeat, incidents by state. */
  health(): Promise<LoopHealth>;

  /** Markdown retrospective of a resolved incident, from durable facts only. */
  retrospective(args: { id: string }): Promise<string>;

  /** Retention: deletes resolved incidents past retention (and other grown tables), exporting audits first. */
  archive(args: ArchiveArgs): Promise<ArchiveReport>;
}

export const OPERATOR_ACTIONS = ['acknowledge', 'investigate', 'assign', 'note', 'resolve', 'reopen', 'escalate', 'suppress-escalation'] as const;
export type OperatorAction = (typeof OPERATOR_ACTIONS)[number];

export interface OperatorActionArgs {
  incidentId: string;
  action: OperatorAction;
  actor: Actor;
  /** Why: required, non-empty. */
  rationale: string;
  /** `assign`/`investigate`: who owns the incident (default: the actor). */
  assignee?: string;
  /** `suppress-escalation`: until when (ISO 8601, in the future). */
  until?: string;
  idempotencyKey?: string;
}

export interface OperatorActionResult {
  incident: Incident;
  /** True when this call replayed a stored result for its idempotency key. */
  replayed: boolean;
}

export interface ArchiveArgs {
  /** Delete resolved incidents resolved longer ago than this (ms). */
  olderThanMs: number;
  /** Report counts without deleting. */
  dryRun?: boolean;
  /** Rows per delete batch (default 500). */
  batchSize?: number;
  /** Receives audits (one JSON object per line) before they are deleted. Required unless dryRun. */
  exportAudits?: (jsonLines: string) => Promise<void> | void;
}

export interface ArchiveReport {
  dryRun: boolean;
  incidents: number;
  timelineEntries: number;
  audits: number;
  /** Other tables by name (idempotency keys, claims, system events, extension tables). */
  other: Record<string, number>;
}

/**
 * How another package extends the spine: its migrations run through the same provider (and the
 * same `parapet_migration` table), its growing tables get a retention in the archiver.
 */
export interface EvidenceExtension {
  /** Package-unique prefix, e.g. `response`. Migration names become `<name>/<key>`. */
  name: string;
  /** Kysely migrations, typed `Kysely<any>`, keyed by an orderable name (`0001_outbox`). */
  migrations?: Record<string, Migration>;
  /** Tables the archiver trims: rows whose `column` is older than `maxAgeMs`. */
  retention?: { table: string; column: string; maxAgeMs: number }[];
}
