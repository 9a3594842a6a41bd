import { createHash } from 'node:crypto';
import { Kysely, PGliteDialect, PostgresDialect, sql, type Transaction } from 'kysely';
import * as z from 'zod';
import { closeable, parseOptions, ParapetError, type Logger } from '@parapet/core/integration';
import { WATCHDOG_ALERTNAME, WATCHDOG_HEARTBEAT_MAX_AGE_MS } from '@parapet/core/slo';
import { isoMicros, parseAlertmanagerPayload } from './alertmanager.js';
import type { ArchiveArgs, ArchiveReport, EvidenceExtension, EvidenceStore, OperatorActionArgs, OperatorActionResult } from './contract.js';
import { OPERATOR_ACTIONS } from './contract.js';
import { archive } from './archiver.js';
import { correlateSystemEvents, ingestDelivery, type IngestConfig } from './ingest.js';
import { migrateEvidence, pendingEvidenceMigrations, type MigrateReport } from './migrations.js';
import { retrospectiveMarkdown } from './retrospective.js';
import { actionItemsOf, auditsOf, isoUtc, loadIncident, loadIncidents, selectIncidents, timelineOf } from './rows.js';
import type { EvidenceDatabase } from './schema.js';
import { toUnavailable } from './transient.js';
import type { Incident, IncidentDetail, IncidentPage, IncidentState, LoopHealth, SystemEvent } from './types.js';

/** A `pg.Pool` (or anything shaped like one). */
export interface PgPoolLike {
  connect(): Promise<unknown>;
  end(): Promise<void>;
}

/** The PGlite instance shape Kysely's dialect needs. */
type PGliteLike = ConstructorParameters<typeof PGliteDialect>[0]['pglite'];

export interface EvidenceStoreOptions {
  /**
   * The host's database: a `Kysely` instance (or a function returning one), or a `pg.Pool`.
   * Parapet never reads connection strings. Omit it for an embedded PGlite database.
   */
  database?: Kysely<any> | (() => Kysely<any>) | PgPoolLike;
  /** An existing PGlite instance to use instead of creating one. */
  pglite?: PGliteLike;
  /** Embedded PGlite data directory; in memory when omitted. */
  dataDir?: string;
  /**
   * Run pending migrations on start (default true). Behind PgBouncer in transaction mode pass
   * `migrationDatabase` (a direct connection) or run `migrateEvidence()`/`parapet migrate` first.
   */
  migrate?: boolean;
  /** A direct (session) connection for migrations: a Kysely instance or `pg.Pool`. */
  migrationDatabase?: Kysely<any> | PgPoolLike;
  /** Packages extending the spine (their migrations and retention). */
  extensions?: readonly EvidenceExtension[];
  /** `fingerprint` (default): one incident per alert; `groupKey`: one per Alertmanager group. */
  correlateBy?: 'fingerprint' | 'groupKey';
  /** A re-fire this soon after resolution reopens the incident; later it opens a new one. Default 1 h. */
  reopenWindowMs?: number;
  /** First escalation is due this long after opening unless acknowledged. Default 15 min. */
  escalateAfterMs?: number;
  /** Deploys/flag changes this long before an incident opened are put on its timeline. Default 30 min. */
  correlationWindowMs?: number;
  /** How long an Idempotency-Key is kept. Default 24 h. */
  idempotencyTtlMs?: number;
  /** The always-firing watchdog alert's name. Default `ParapetWatchdog`. */
  watchdogAlertname?: string;
  /** A heartbeat older than this means the alert path is broken. Default 15 min. */
  heartbeatMaxAgeMs?: number;
  /**
   * Called after an incident resolved (by Alertmanager or an operator) and the change committed,
   * with its retrospective generated from durable facts. Errors are swallowed (reported to
   * `onError`): a notifier must not fail the delivery that resolved the incident.
   */
  onResolved?: (args: { incident: Incident; retrospective: string }) => void | Promise<void>;
  /** Receives errors of hooks (`onResolved`). Default: ignore. */
  onError?: (error: unknown) => void;
  /**
   * Where start-up warnings go (today: migrations not applied while `migrate: false`). Pass your
   * app's logger (pino, winston, console). Default: `console` with a `[parapet]` prefix.
   */
  logger?: Logger;
  /** Clock (tests). */
  now?: () => Date;
}

const optionsSchema = z.strictObject({
  database: z.any().optional(),
  pglite: z.any().optional(),
  dataDir: z.string().min(1).optional(),
  migrate: z.boolean().default(true),
  migrationDatabase: z.any().optional(),
  extensions: z.array(z.any()).default([]),
  correlateBy: z.enum(['fingerprint', 'groupKey']).default('fingerprint'),
  reopenWindowMs: z.number().int().nonnegative().default(3_600_000),
  escalateAfterMs: z.number().int().positive().default(900_000),
  correlationWindowMs: z.number().int().nonnegative().default(1_800_000),
  idempotencyTtlMs: z.number().int().positive().default(86_400_000),
  watchdogAlertname: z.string().min(1).default(WATCHDOG_ALERTNAME),
  heartbeatMaxAgeMs: z.number().int().positive().default(WATCHDOG_HEARTBEAT_MAX_AGE_MS),
  onResolved: z.function().optional(),
  onError: z.function().optional(),
  logger: z.custom<Logger>((v) => typeof (v as Logger)?.warn === 'function' && typeof (v as Logger)?.error === 'function', 'a logger with warn() and error() (pino, winston or console)').optional(),
  now: z.function().optional(),
});

const isKysely = (value: unknown): value is Kysely<any> => typeof (value as { selectFrom?: unknown })?.selectFrom === 'function';

/** Wraps a host pool so closing the store never ends the host's pool. */
function kyselyOverPool(pool: PgPoolLike): Kysely<any> {
  const listening = new WeakSet<object>();
  const connect = async () => {
    const client = (await pool.connect()) as { on?: (event: 'error', fn: () => void) => void };
    // A checked-out pg client emits 'error' when the server goes away between queries; without a
    // listener that would crash the host. The failing query rejects on its own (→ 503).
    if (typeof client.on === 'function' && !listening.has(client)) {
      client.on('error', () => {});
      listening.add(client);
    }
    return client as never;
  };
  return new Kysely({ dialect: new PostgresDialect({ pool: { connect, end: async () => {}, options: (pool as { options?: object }).options ?? {} } }) });
}

type DatabaseArgs = { database?: Kysely<any> | PgPoolLike; dataDir?: string; extensions?: readonly EvidenceExtension[] };

/** Runs `use` over a database given like `createEvidenceStore`'s; closes only what it created. */
async function withDatabase<T>(args: DatabaseArgs, use: (db: Kysely<any>) => Promise<T>): Promise<T> {
  let owned: Kysely<any> | undefined;
  const db = args.database === undefined ? (owned = new Kysely({ dialect: new PGliteDialect({ pglite: await embeddedPGlite(args.dataDir) }) })) : isKysely(args.database) ? args.database : (owned = kyselyOverPool(args.database));
  try {
    return await use(db);
  } finally {
    await owned?.destroy();
  }
}

/**
 * Runs pending migrations against a database given like `createEvidenceStore`'s (`database`: a
 * Kysely instance or pg.Pool, or an embedded PGlite `dataDir`) without opening a store; closes
 * only what it created. Never throws for a failing step: the report carries per-step statuses
 * (what `parapet migrate` prints).
 */
export async function migrateEvidenceDatabase(args: DatabaseArgs): Promise<MigrateReport> {
  return withDatabase(args, (db) => migrateEvidence({ db, extensions: args.extensions ?? [] }));
}

/**
 * Names of the evidence migrations (the spine's and the given extensions') not yet applied to a
 * database given like `migrateEvidenceDatabase`'s, in order. Reads only (what `parapet doctor`
 * reports); throws what the driver throws when the database cannot be reached.
 */
export async function pendingEvidenceMigrationsIn(args: DatabaseArgs): Promise<string[]> {
  return withDatabase(args, (db) => pendingEvidenceMigrations({ db, extensions: args.extensions ?? [] }));
}

async function embeddedPGlite(dataDir: string | undefined): Promise<PGliteLike> {
  let mod: { PGlite: new (dataDir?: string) => PGliteLike };
  try {
    mod = (await import('@electric-sql/pglite')) as never;
  } catch (cause) {
    throw new ParapetError('MISSING_PEER', 'createEvidenceStore(): no `database` given and @electric-sql/pglite is not installed. Install it (npm install @electric-sql/pglite@~0.5.17) for the embedded database, or pass your Kysely instance or pg.Pool as `database`.', { cause });
  }
  return new mod.PGlite(dataDir);
}

export interface EvidenceStoreHandle extends EvidenceStore {
  /** The result of the start-up migration run (empty when `migrate: false`). */
  readonly migrations: MigrateReport;
}

/**
 * Opens the evidence store. With no `database`, an embedded PGlite database (in memory, or in
 * `dataDir`) is the default. Returns a Closeable; `close()` releases only what the store created.
 */
export async function createEvidenceStore(options: EvidenceStoreOptions = {}): Promise<EvidenceStoreHandle> {
  const opts = parseOptions(optionsSchema, options, 'createEvidenceStore()');
  const clock = (opts.now as (() => Date) | undefined) ?? (() => new Date());
  const now = () => isoMicros(clock());
  let owned: Kysely<any> | undefined;
  let db: Kysely<EvidenceDatabase>;
  if (opts.database !== undefined) {
    const given = typeof opts.database === 'function' && !isKysely(opts.database) ? (opts.database as () => Kysely<any>)() : opts.database;
    if (isKysely(given)) db = given as Kysely<EvidenceDatabase>;
    else if (typeof (given as PgPoolLike)?.connect === 'function') db = owned = kyselyOverPool(given as PgPoolLike);
    else throw new ParapetError('INVALID_OPTIONS', 'createEvidenceStore(): option "database" must be a Kysely instance, a function returning one, or a pg.Pool.');
  } else {
    const pglite = (opts.pglite as PGliteLike | undefined) ?? (await embeddedPGlite(opts.dataDir));
    db = owned = new Kysely({ dialect: new PGliteDialect({ pglite }) });
  }
  const extensions = opts.extensions as EvidenceExtension[];
  let migrations: MigrateReport = { results: [] };
  if (opts.migrate) {
    const migrationDb = opts.migrationDatabase === undefined ? db : isKysely(opts.migrationDatabase) ? opts.migrationDatabase : kyselyOverPool(opts.migrationDatabase as PgPoolLike);
    try {
      migrations = await migrateEvidence({ db: migrationDb, extensions });
    } finally {
      if (migrationDb !== db && !isKysely(opts.migrationDatabase)) await migrationDb.destroy();
    }
    if (migrations.error) {
      await owned?.destroy();
      throw migrations.error;
    }
  } else {
    // Not migrating here is a deploy choice, not an error; but a store over missing tables fails
    // every request, so say so once, at start, with the fix.
    const pending = await pendingEvidenceMigrations({ db, extensions }).catch(() => []);
    if (pending.length > 0) {
      const logger = (opts.logger as Logger | undefined) ?? { warn: (m: string) => console.warn(`[parapet] ${m}`), error: (m: string) => console.error(`[parapet] ${m}`) };
      logger.warn(
        `createEvidenceStore(): ${pending.length} evidence migration(s) not applied (${pending.slice(0, 3).join(', ')}${pending.length > 3 ? ', …' : ''}); every request that touches them fails until they are. ` +
          'Run `npx parapet migrate` (with the same database) before starting the app, or pass migrate: true.',
      );
    }
  }

  const config: IngestConfig = {
    correlateBy: opts.correlateBy,
    reopenWindowMs: opts.reopenWindowMs,
    escalateAfterMs: opts.escalateAfterMs,
    correlationWindowMs: opts.correlationWindowMs,
    watchdogAlertname: opts.watchdogAlertname,
    now,
  };

  const transaction = async <T>(fn: (trx: Transaction<EvidenceDatabase>) => Promise<T>): Promise<T> => {
    try {
      return await db.transaction().execute(fn);
    } catch (error) {
      throw toUnavailable(error);
    }
  };

  const onResolved = opts.onResolved as EvidenceStoreOptions['onResolved'];
  const onError = (opts.onError as EvidenceStoreOptions['onError']) ?? (() => {});
  async function resolvedHook(id: string): Promise<void> {
    if (!onResolved) return;
    try {
      const detail = await store.getIncident({ id });
      if (detail?.incident.state === 'resolved') await onResolved({ incident: detail.incident, retrospective: retrospectiveMarkdown(detail) });
    } catch (error) {
      try {
        onError(error);
      } catch {
        // never let a hook break the caller
      }
    }
  }

  const store: EvidenceStore = {
    db,
    transaction,

    async ingestAlertmanager({ payload }) {
      const parsed = parseAlertmanagerPayload(payload);
      const result = await transaction((trx) => ingestDelivery(trx, parsed, config));
      // Loop health, outside the delivery's transaction (a hot row must not serialise deliveries).
      const at = now();
      const names = result.heartbeat ? ['last_delivery', 'last_heartbeat'] : ['last_delivery'];
      await db
        .insertInto('parapet_loop')
        .values(names.map((name) => ({ name, at })))
        .onConflict((oc) => oc.column('name').doUpdateSet({ at: sql`greatest(parapet_loop.at, excluded.at)` as never }))
        .execute()
        .catch(() => {});
      for (const a of result.alerts) if (a.outcome === 'resolved' && a.incidentId) await resolvedHook(a.incidentId);
      return result;
    },

    async listIncidents(args = {}) {
      const state = args.state ?? 'active';
      const limit = args.limit ?? 50;
      if (!['active', 'resolved', 'all'].includes(state)) throw new ParapetError('INVALID_REQUEST', `state must be one of active, resolved, all; got ${JSON.stringify(state)}.`);
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new ParapetError('INVALID_REQUEST', `limit must be an integer from 1 to 200; got ${String(limit)}.`);
      let q = selectIncidents(db);
      if (state === 'active') q = q.where('i.state', '<>', 'resolved');
      else if (state === 'resolved') q = q.where('i.state', '=', 'resolved');
      if (args.severity) q = q.where('i.severity', '=', args.severity);
      if (args.slo) q = q.where('i.slo', '=', args.slo);
      if (args.cursor) {
        const [openedAt, id] = decodeCursor(args.cursor);
        q = q.where(sql<boolean>`(i.opened_at, i.id) < (${openedAt}::timestamptz, ${id}::bigint)`);
      }
      const rows = await q.orderBy('i.opened_at', 'desc').orderBy('i.id', 'desc').limit(limit + 1).execute();
      const page = rows.slice(0, limit);
      const items = await loadIncidents(db, page);
      const last = page.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.opened_at, last.id) : null } satisfies IncidentPage;
    },

    async changeToken() {
      // O(1): the newest committed change (index on change_seq) and the last archiver run (deletes
      // do not raise the maximum). Never a count: that would scan millions of rows per poll.
      const row = await db
        .selectFrom('parapet_incident')
        .select([
          sql<string | null>`max(change_seq)::text`.as('seq'),
          sql<string | null>`(SELECT extract(epoch FROM at)::text FROM parapet_loop WHERE name = 'last_archive')`.as('archived'),
        ])
        .executeTakeFirstOrThrow();
      return `${row.seq ?? '0'}.${row.archived ?? '0'}`;
    },

    async getIncident({ id }) {
      if (!/^[0-9]{1,18}$/.test(id)) return undefined;
      const incident = await loadIncident(db, id);
      if (!incident) return undefined;
      const [timeline, audits, actionItems] = [await timelineOf(db, id), await auditsOf(db, id), await actionItemsOf(db, id)];
      return { incident, timeline, audits, actionItems } satisfies IncidentDetail;
    },

    async act(args) {
      const result = await act({ db, transaction, args, now, escalateAfterMs: opts.escalateAfterMs, idempotencyTtlMs: opts.idempotencyTtlMs });
      if (args.action === 'resolve' && !result.replayed) await resolvedHook(result.incident.id);
      return result;
    },

    async recordTimelineEntry(args) {
      if (!['notification', 'triage_snapshot', 'system_action'].includes(args.type)) throw new ParapetError('INVALID_REQUEST', `recordTimelineEntry(): type must be notification, triage_snapshot or system_action; got ${JSON.stringify(args.type)}.`);
      if (!args.summary?.trim()) throw new ParapetError('INVALID_REQUEST', 'recordTimelineEntry(): summary is required.');
      const write = async (trx: Transaction<EvidenceDatabase>) => {
        await trx
          .insertInto('parapet_timeline')
          .values({ incident_id: args.incidentId, type: args.type, at: args.at ? canonicalOrThrow(args.at, 'at') : now(), actor: null, summary: args.summary, data: JSON.stringify(args.data ?? {}), dedupe_key: args.dedupeKey ?? null })
          .onConflict((oc) => oc.columns(['incident_id', 'dedupe_key']).doNothing())
          .execute();
        const set = args.type === 'triage_snapshot' ? { triage_summary: args.summary } : {};
        await trx
          .updateTable('parapet_incident')
          .set({ ...set, updated_at: now(), change_seq: sql`nextval('parapet_change_seq')` as never })
          .where(sql<boolean>`id = ${args.incidentId}::bigint`)
          .execute();
      };
      if (args.trx) await write(args.trx);
      else await transaction(write);
    },

    async addActionItem(args) {
      if (!args.actor?.id) throw new ParapetError('UNAUTHORIZED', 'addActionItem(): an actor is required.');
      if (args.actor.role !== 'responder') throw new ParapetError('FORBIDDEN', `${args.actor.name || args.actor.id} is a ${args.actor.role}; only responders may add action items.`);
      if (!args.title?.trim()) throw new ParapetError('INVALID_REQUEST', 'title is required: name the one concrete thing to follow up.', { details: { field: 'title' } });
      if (!args.rationale?.trim()) throw new ParapetError('INVALID_REQUEST', 'rationale is required: say why (it is kept in the audit trail).', { details: { field: 'rationale' } });
      if (!/^[0-9]{1,18}$/.test(args.incidentId)) throw new ParapetError('NOT_FOUND', `no incident ${args.incidentId}.`);
      return transaction(async (trx) => {
        const at = now();
        const exists = await trx.selectFrom('parapet_incident').select('state').where(sql<boolean>`id = ${args.incidentId}::bigint`).forUpdate().executeTakeFirst();
        if (!exists) throw new ParapetError('NOT_FOUND', `no incident ${args.incidentId}.`);
        const inserted = await trx
          .insertInto('parapet_action_item')
          .values({ incident_id: args.incidentId, title: args.title.trim(), target: args.target ?? null, status: 'open', created_by: args.actor.id, created_at: at })
          .onConflict((oc) => oc.columns(['incident_id', 'title']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (inserted) {
          await trx
            .insertInto('parapet_audit')
            .values({ incident_id: args.incidentId, actor_id: args.actor.id, actor_name: args.actor.name, actor_role: args.actor.role, action: 'add-action-item', rationale: args.rationale, idempotency_key: null, outcome: 'succeeded', before: null, after: JSON.stringify({ title: args.title.trim(), target: args.target ?? null }), at })
            .execute();
          await trx
            .insertInto('parapet_timeline')
            .values({ incident_id: args.incidentId, type: 'operator_action', at, actor: args.actor.id, summary: `${args.actor.name || args.actor.id} added an action item: ${args.title.trim()}`, data: JSON.stringify({ action: 'add-action-item', rationale: args.rationale }), dedupe_key: null })
            .execute();
        }
        const items = await actionItemsOf(trx, args.incidentId);
        return items.find((i) => i.title === args.title.trim())!;
      });
    },

    async recordDeploy(args) {
      if (!args.version) throw new ParapetError('INVALID_REQUEST', 'recordDeploy(): version is required.');
      const at = args.at ? canonicalOrThrow(args.at, 'at') : now();
      return recordSystemEvent(transaction, config, {
        kind: 'deploy',
        at,
        service: args.service ?? null,
        slo: args.slo ?? null,
        summary: args.summary ?? `Deployed ${args.service ? `${args.service} ` : ''}${args.version}`,
        data: { version: args.version, url: args.url ?? null, actor: args.actor ?? null },
        dedupeKey: `deploy:${args.version}:${args.service ?? ''}:${at}`,
      });
    },

    async recordFlagChange(args) {
      if (!args.flag) throw new ParapetError('INVALID_REQUEST', 'recordFlagChange(): flag is required.');
      const at = args.at ? canonicalOrThrow(args.at, 'at') : now();
      return recordSystemEvent(transaction, config, {
        kind: 'flag_change',
        at,
        service: args.service ?? null,
        slo: args.slo ?? null,
        summary: `Flag ${args.flag} changed${args.to !== undefined ? ` to ${JSON.stringify(args.to)}` : ''}`,
        data: { flag: args.flag, from: args.from ?? null, to: args.to ?? null, actor: args.actor ?? null },
        dedupeKey: `flag:${args.flag}:${args.service ?? ''}:${at}`,
      });
    },

    async claim({ key, owner, leaseMs }) {
      if (!key || !owner || !(leaseMs > 0)) throw new ParapetError('INVALID_REQUEST', 'claim(): key, owner and a positive leaseMs are required.');
      const at = now();
      const leaseUntil = isoMicros(new Date(Date.parse(at) + leaseMs));
      const row = await transaction((trx) =>
        trx
          .insertInto('parapet_claim')
          .values({ key, owner, state: 'claimed', lease_until: leaseUntil, claimed_at: at })
          .onConflict((oc) =>
            oc
              .column('key')
              .doUpdateSet({ owner, lease_until: leaseUntil, claimed_at: at })
              .where('parapet_claim.state', '=', 'claimed')
              .where(sql<boolean>`parapet_claim.lease_until < ${at}::timestamptz`),
          )
          .returning('owner')
          .executeTakeFirst(),
      );
      return row?.owner === owner;
    },

    async completeClaim({ key, owner }) {
      const result = await transaction((trx) =>
        trx.updateTable('parapet_claim').set({ state: 'done' }).where('key', '=', key).where('owner', '=', owner).where('state', '=', 'claimed').executeTakeFirst(),
      );
      return Number(result.numUpdatedRows) === 1;
    },

    async health() {
      const loop = await db.selectFrom('parapet_loop').select(['name', isoUtc('at').as('at')]).execute();
      const counts = await db.selectFrom('parapet_incident').select(['state', sql<string>`count(*)::text`.as('n')]).groupBy('state').execute();
      const byState: Record<IncidentState, number> = { open: 0, investigating: 0, resolved: 0 };
      for (const c of counts) byState[c.state] = Number(c.n);
      const lastDeliveryAt = loop.find((l) => l.name === 'last_delivery')?.at ?? null;
      const lastHeartbeatAt = loop.find((l) => l.name === 'last_heartbeat')?.at ?? null;
      const age = lastHeartbeatAt ? clock().getTime() - Date.parse(lastHeartbeatAt) : Infinity;
      const heartbeat = lastHeartbeatAt === null ? 'missing' : age > opts.heartbeatMaxAgeMs ? 'stale' : 'ok';
      const message =
        heartbeat === 'ok'
          ? 'The alert path works: the watchdog heartbeat arrived recently.'
          : `The alert path is broken: ${heartbeat === 'missing' ? `no ${opts.watchdogAlertname} heartbeat has ever arrived` : `the last ${opts.watchdogAlertname} heartbeat is ${Math.round(age / 60_000)} min old`}. Check that Prometheus evaluates the watchdog rule and that Alertmanager routes it to this webhook.`;
      return { lastDeliveryAt, lastHeartbeatAt, heartbeat, message, incidentsByState: byState } satisfies LoopHealth;
    },

    async retrospective({ id }) {
      const detail = await store.getIncident({ id });
      if (!detail) throw new ParapetError('NOT_FOUND', `no incident ${id}.`);
      return retrospectiveMarkdown(detail);
    },

    archive: (args: ArchiveArgs): Promise<ArchiveReport> => archive({ db, args, extensions, now: clock, idempotencyTtlMs: opts.idempotencyTtlMs }),

    close: async () => {},
    [Symbol.asyncDispose]: async () => {},
  };
  return closeable(Object.assign(store, { migrations }), async () => {
    await owned?.destroy();
  }) as EvidenceStoreHandle;
}

function canonicalOrThrow(value: string, field: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new ParapetError('INVALID_REQUEST', `${field} must be an ISO 8601 timestamp; got ${JSON.stringify(value)}.`);
  return isoMicros(new Date(ms));
}

async function recordSystemEvent(
  transaction: EvidenceStore['transaction'],
  config: IngestConfig,
  e: { kind: 'deploy' | 'flag_change'; at: string; service: string | null; slo: string | null; summary: string; data: Record<string, unknown>; dedupeKey: string },
): Promise<SystemEvent> {
  return transaction(async (trx) => {
    await trx
      .insertInto('parapet_system_event')
      .values({ kind: e.kind, at: e.at, service: e.service, slo: e.slo, summary: e.summary, data: JSON.stringify(e.data), dedupe_key: e.dedupeKey })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute();
    const row = await trx
      .selectFrom('parapet_system_event')
      .select([sql<string>`id::text`.as('id'), 'kind', isoUtc('at').as('at'), 'service', 'slo', 'summary', 'data'])
      .where('dedupe_key', '=', e.dedupeKey)
      .executeTakeFirstOrThrow();
    // An incident that opened shortly after a late-recorded marker still gets it.
    const to = new Date(Date.parse(row.at) + config.correlationWindowMs).toISOString();
    const incidents = await trx
      .selectFrom('parapet_incident')
      .select([sql<string>`id::text`.as('id'), isoUtc('opened_at').as('opened_at'), 'service', 'slo'])
      .where(sql<boolean>`opened_at BETWEEN ${row.at}::timestamptz AND ${to}::timestamptz`)
      .limit(50)
      .execute();
    for (const i of incidents) {
      await correlateSystemEvents(trx, { incidentId: i.id, openedAt: i.opened_at, service: i.service, slo: i.slo, windowMs: config.correlationWindowMs });
    }
    const data = typeof row.data === 'string' ? JSON.parse(row.data) : row.data;
    return { id: row.id, kind: row.kind, at: row.at, service: row.service, slo: row.slo, summary: row.summary, data };
  });
}

export function encodeCursor(openedAt: string, id: string): string {
  return Buffer.from(JSON.stringify([openedAt, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && typeof value[0] === 'string' && !Number.isNaN(Date.parse(value[0])) && typeof value[1] === 'string' && /^[0-9]{1,18}$/.test(value[1])) {
      return [value[0], value[1]];
    }
  } catch {
    // fall through
  }
  throw new ParapetError('INVALID_REQUEST', 'cursor is not one this API returned; pass nextCursor from the previous page unchanged.');
}

const ALLOWED: Record<(typeof OPERATOR_ACTIONS)[number], readonly IncidentState[]> = {
  acknowledge: ['open'],
  investigate: ['open', 'investigating'],
  assign: ['open', 'investigating'],
  note: ['open', 'investigating', 'resolved'],
  resolve: ['open', 'investigating'],
  reopen: ['resolved'],
  escalate: ['open', 'investigating'],
  'suppress-escalation': ['open', 'investigating'],
};

const HINT: Partial<Record<(typeof OPERATOR_ACTIONS)[number], string>> = {
  acknowledge: 'Only open incidents can be acknowledged.',
  reopen: 'Only resolved incidents can be reopened.',
};

interface StoredOutcome {
  status: number;
  body: unknown;
}

async function act(ctx: {
  db: Kysely<EvidenceDatabase>;
  transaction: EvidenceStore['transaction'];
  args: OperatorActionArgs;
  now: () => string;
  escalateAfterMs: number;
  idempotencyTtlMs: number;
}): Promise<OperatorActionResult> {
  const { args, now } = ctx;
  if (!OPERATOR_ACTIONS.includes(args.action)) throw new ParapetError('INVALID_REQUEST', `unknown action ${JSON.stringify(args.action)}; one of ${OPERATOR_ACTIONS.join(', ')}.`);
  if (!args.actor?.id) throw new ParapetError('UNAUTHORIZED', 'an operator action needs an actor.');
  if (args.actor.role !== 'responder') throw new ParapetError('FORBIDDEN', `${args.actor.name || args.actor.id} is a ${args.actor.role}; only responders may act on incidents.`);
  if (typeof args.rationale !== 'string' || args.rationale.trim() === '') throw new ParapetError('INVALID_REQUEST', 'rationale is required: say why (it is kept in the audit trail).', { details: { field: 'rationale' } });
  if (!/^[0-9]{1,18}$/.test(args.incidentId)) throw new ParapetError('NOT_FOUND', `no incident ${args.incidentId}.`);
  let until: string | null = null;
  if (args.action === 'suppress-escalation') {
    const ms = args.until === undefined ? Number.NaN : Date.parse(args.until);
    if (Number.isNaN(ms)) throw new ParapetError('INVALID_REQUEST', 'until is required for suppress-escalation: an ISO 8601 time in the future.', { details: { field: 'until' } });
    if (ms <= Date.parse(now())) throw new ParapetError('INVALID_REQUEST', `until must be in the future; got ${args.until}.`, { details: { field: 'until' } });
    until = isoMicros(new Date(ms));
  }
  if (args.action === 'assign' && !args.assignee) throw new ParapetError('INVALID_REQUEST', 'assignee is required for assign.', { details: { field: 'assignee' } });
  const route = `${args.action}:${args.incidentId}`;
  const requestHash = createHash('sha256').update(JSON.stringify([args.incidentId, args.action, args.rationale, args.assignee ?? null, args.until ?? null])).digest('hex');

  const outcome = await ctx.transaction(async (trx): Promise<StoredOutcome & { replayed: boolean }> => {
    const at = now();
    if (args.idempotencyKey !== undefined) {
      if (args.idempotencyKey.length < 1 || args.idempotencyKey.length > 255) throw new ParapetError('INVALID_REQUEST', 'Idempotency-Key must be 1 to 255 characters.');
      const cutoff = isoMicros(new Date(Date.parse(at) - ctx.idempotencyTtlMs));
      // Claim the key; a concurrent holder makes this wait on the unique index until it commits.
      const claimed = await trx
        .insertInto('parapet_idempotency')
        .values({ actor_id: args.actor.id, route, key: args.idempotencyKey, request_hash: requestHash, status: 0, response: 'null', created_at: at })
        .onConflict((oc) =>
          oc
            .columns(['actor_id', 'route', 'key'])
            .doUpdateSet({ request_hash: requestHash, status: 0, response: 'null', created_at: at })
            .where('parapet_idempotency.created_at', '<', cutoff),
        )
        .returning('key')
        .executeTakeFirst();
      if (!claimed) {
        const existing = await trx
          .selectFrom('parapet_idempotency')
          .select(['request_hash', 'status', 'response'])
          .where('actor_id', '=', args.actor.id)
          .where('route', '=', route)
          .where('key', '=', args.idempotencyKey)
          .executeTakeFirstOrThrow();
        if (existing.request_hash !== requestHash) {
          throw new ParapetError('IDEMPOTENCY_KEY_REUSED', `Idempotency-Key ${JSON.stringify(args.idempotencyKey)} was already used for ${args.action} on incident ${args.incidentId} with a different body; use a new key for a new request.`);
        }
        const response = typeof existing.response === 'string' ? JSON.parse(existing.response) : existing.response;
        return { status: existing.status, body: response, replayed: true };
      }
    }
    const before = await selectIncidents(trx).where(sql<boolean>`i.id = ${args.incidentId}::bigint`).forUpdate().executeTakeFirst();
    let result: StoredOutcome;
    if (!before) {
      result = { status: 404, body: new ParapetError('NOT_FOUND', `no incident ${args.incidentId}.`).toJSON() };
    } else if (!ALLOWED[args.action].includes(before.state)) {
      const error = new ParapetError('CONFLICT', `cannot ${args.action} incident ${args.incidentId}: it is ${before.state} (${args.action} needs ${ALLOWED[args.action].join(' or ')}). ${HINT[args.action] ?? ''}`.trim(), {
        details: { state: before.state, action: args.action, allowedFrom: ALLOWED[args.action] },
      });
      await audit(trx, { args, at, outcome: 'rejected', before: snapshot(before), after: null });
      result = { status: 409, body: error.toJSON() };
    } else {
      const change = changeFor(args, before, at, until, ctx.escalateAfterMs);
      {
        // Every action bumps the change token, notes included (the incident has new activity).
        try {
          await trx
            .updateTable('parapet_incident')
            .set({ ...change.set, updated_at: at, change_seq: sql`nextval('parapet_change_seq')` as never })
            .where(sql<boolean>`id = ${args.incidentId}::bigint`)
            .execute();
        } catch (error) {
          if ((error as { code?: string }).code === '23505') {
            throw new ParapetError('CONFLICT', `cannot reopen incident ${args.incidentId}: a newer incident for the same alert is active. Work on that one.`, { cause: error });
          }
          throw error;
        }
      }
      await trx
        .insertInto('parapet_timeline')
        .values({ incident_id: args.incidentId, type: change.type, at, actor: args.actor.id, summary: change.summary, data: JSON.stringify({ action: args.action, rationale: args.rationale, actorName: args.actor.name }), dedupe_key: null })
        .execute();
      const after = await selectIncidents(trx).where(sql<boolean>`i.id = ${args.incidentId}::bigint`).executeTakeFirstOrThrow();
      await audit(trx, { args, at, outcome: 'succeeded', before: snapshot(before), after: snapshot(after) });
      const incident = await loadIncident(trx, args.incidentId);
      result = { status: 200, body: { incident } };
    }
    if (args.idempotencyKey !== undefined) {
      await trx
        .updateTable('parapet_idempotency')
        .set({ status: result.status, response: JSON.stringify(result.body) })
        .where('actor_id', '=', args.actor.id)
        .where('route', '=', route)
        .where('key', '=', args.idempotencyKey)
        .execute();
    }
    return { ...result, replayed: false };
  });
  if (outcome.status === 200) return { incident: (outcome.body as { incident: OperatorActionResult['incident'] }).incident, replayed: outcome.replayed };
  const body = outcome.body as { error: { code: string; message: string; details?: Record<string, unknown> } };
  throw new ParapetError(body.error.code as never, body.error.message, { details: { ...body.error.details, ...(outcome.replayed && { replayed: true }) } });
}

function snapshot(row: { state: string; assignee: string | null; acknowledged_by: string | null; escalation_step: number; suppressed_until: string | null }): Record<string, unknown> {
  return { state: row.state, assignee: row.assignee, acknowledgedBy: row.acknowledged_by, escalationStep: Number(row.escalation_step), suppressedUntil: row.suppressed_until };
}

async function audit(trx: Transaction<EvidenceDatabase>, a: { args: OperatorActionArgs; at: string; outcome: 'succeeded' | 'rejected'; before: Record<string, unknown> | null; after: Record<string, unknown> | null }): Promise<void> {
  await trx
    .insertInto('parapet_audit')
    .values({
      incident_id: a.args.incidentId,
      actor_id: a.args.actor.id,
      actor_name: a.args.actor.name,
      actor_role: a.args.actor.role,
      action: a.args.action,
      rationale: a.args.rationale,
      idempotency_key: a.args.idempotencyKey ?? null,
      outcome: a.outcome,
      before: a.before === null ? null : JSON.stringify(a.before),
      after: a.after === null ? null : JSON.stringify(a.after),
      at: a.at,
    })
    .execute();
}

function changeFor(
  args: OperatorActionArgs,
  before: { state: IncidentState; escalation_step: number; escalation_stopped: boolean },
  at: string,
  until: string | null,
  escalateAfterMs: number,
): { set: Record<string, unknown>; type: 'acknowledged' | 'note' | 'operator_action'; summary: string } {
  const who = args.actor.name || args.actor.id;
  switch (args.action) {
    case 'acknowledge':
      return { set: { state: 'investigating', acknowledged_at: at, acknowledged_by: args.actor.id, escalation_stopped: true, next_escalation_at: null }, type: 'acknowledged', summary: `${who} acknowledged: ${args.rationale}` };
    case 'investigate': {
      const assignee = args.assignee ?? args.actor.id;
      const ack = before.state === 'open' ? { state: 'investigating', acknowledged_at: at, acknowledged_by: args.actor.id, escalation_stopped: true, next_escalation_at: null } : {};
      return { set: { ...ack, assignee }, type: 'operator_action', summary: `${who} is investigating (assignee ${assignee}): ${args.rationale}` };
    }
    case 'assign':
      return { set: { assignee: args.assignee }, type: 'operator_action', summary: `${who} assigned the incident to ${args.assignee}: ${args.rationale}` };
    case 'note':
      return { set: {}, type: 'note', summary: args.rationale };
    case 'resolve':
      return { set: { state: 'resolved', resolved_at: at, escalation_stopped: true, next_escalation_at: null }, type: 'operator_action', summary: `${who} resolved: ${args.rationale}` };
    case 'reopen':
      return { set: { state: 'open', resolved_at: null, acknowledged_at: null, acknowledged_by: null, escalation_stopped: false, next_escalation_at: isoMicros(new Date(Date.parse(at) + escalateAfterMs)) }, type: 'operator_action', summary: `${who} reopened: ${args.rationale}` };
    case 'escalate':
      return { set: { escalation_step: Number(before.escalation_step) + 1, next_escalation_at: before.escalation_stopped ? null : isoMicros(new Date(Date.parse(at) + escalateAfterMs)) }, type: 'operator_action', summary: `${who} escalated to step ${Number(before.escalation_step) + 1}: ${args.rationale}` };
    case 'suppress-escalation':
      return { set: { suppressed_until: until }, type: 'operator_action', summary: `${who} suppressed escalation until ${until}: ${args.rationale}` };
  }
}

