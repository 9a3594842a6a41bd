/**
 * Evidence database checks, on the database `parapet migrate` uses (`--database-url`, else
 * DATABASE_URL): migrations applied, the watchdog heartbeat arriving, no PgBouncer URL for
 * migrations, and a PGlite data directory the installed PGlite can open. PostgreSQL is queried
 * read-only; a PGlite data directory is never opened (one user at a time: the app may be running),
 * only its control file is read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadEvidence, openDatabase, redact } from '../commands/evidence-db.js';
import { plural } from '../plural.js';
import { readPackageJson } from './files.js';
import { property, staticString } from './source.js';
import { error, isOutcome, ok, skip, warn, type Check, type DoctorContext, type Outcome } from './types.js';

const NO_URL = 'No evidence database given: pass --database-url or set DATABASE_URL (what parapet migrate uses).';

/** The database URL, or why the check cannot run. */
function databaseUrlOf(context: DoctorContext): string | undefined {
  const url = (context.options.databaseUrl ?? context.env.DATABASE_URL)?.trim();
  return url ? url : undefined;
}

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** Runs `use` with a short-lived pool on a postgres:// URL. */
async function withPostgres<T>(url: string, use: (pool: Queryable) => Promise<T>): Promise<T> {
  const { target, release } = await openDatabase(url, 'doctor');
  try {
    return await use(target.database as Queryable);
  } finally {
    await release().catch(() => {});
  }
}

/** A connection failure as a finding: the database named, the cause, and what to check. */
function unreachable(url: string, cause: unknown): Outcome {
  const message = cause instanceof Error ? cause.message : String(cause);
  return error(`Cannot reach the evidence database ${redact(url)}: ${message}`, 'Check the URL (host, port, database, user and password) and that PostgreSQL is running and reachable from here.');
}

const isPostgres = (url: string) => /^postgres(ql)?:\/\//.test(url);

/** The postgres:// URL, or a skip: none given, or not PostgreSQL (`otherwise` says why that is fine). */
function postgresUrl(context: DoctorContext, otherwise: string): string | Outcome {
  const url = databaseUrlOf(context);
  if (!url) return skip(NO_URL);
  return isPostgres(url) ? url : skip(`${redact(url)} ${otherwise}`);
}

/** A `createEvidenceStore({ … })` of the entry file that keeps its data in embedded PGlite (no `database` option). */
interface EmbeddedStore {
  readonly at: string;
  /** `dataDir` when the source says (a literal, or `process.env.X ?? 'default'`). */
  readonly dataDir: string | undefined;
  /** `migrate` as written: a literal, absent (the store's default: true), or decided at run time. */
  readonly migrate: boolean | 'dynamic';
}

function embeddedStores(context: DoctorContext): EmbeddedStore[] {
  const source = context.source();
  if (!('entry' in source)) return [];
  return source.entry.calls
    .filter((c) => c.kind === 'evidence-store' && !property(c.options, 'database'))
    .map((c) => {
      const dataDir = property(c.options, 'dataDir');
      const migrate = property(c.options, 'migrate');
      const value = migrate?.type === 'ObjectProperty' ? migrate.value : undefined;
      return {
        at: `${source.entry.file}:${c.line}`,
        dataDir: dataDir?.type === 'ObjectProperty' ? staticString(dataDir.value, context.env) : undefined,
        migrate: migrate === undefined ? true : value?.type === 'BooleanLiteral' ? value.value : 'dynamic',
      };
    });
}

/**
 * No PostgreSQL URL: what the entry file's embedded PGlite store does about migrations, read from
 * its createEvidenceStore options. The data directory itself is not opened (the app may hold it).
 */
function embeddedMigrations(context: DoctorContext, url: string | undefined): Outcome {
  const stores = embeddedStores(context);
  if (stores.length === 0) return skip(url ? `${redact(url)} is not PostgreSQL, and the entry file opens no embedded evidence store (createEvidenceStore) to read migrate from.` : NO_URL);
  const off = stores.filter((s) => s.migrate === false);
  if (off.length > 0) {
    const dir = (url?.startsWith('pglite:') ? url.slice('pglite:'.length) : off[0]!.dataDir) ?? '<dataDir>';
    return warn(
      `The embedded PGlite evidence store (${off.map((s) => s.at).join(', ')}) is opened with migrate: false: it does not create its tables, so the Alertmanager webhook and the operator API fail until the migrations are applied.`,
      `With the app stopped (a PGlite directory has one user at a time), run npx parapet migrate --database-url pglite:${dir}; or run npx @parapet/cli install --migrations again, which sets migrate: true so the app applies them at startup.`,
    );
  }
  if (stores.some((s) => s.migrate === 'dynamic')) return skip(`The migrate option of createEvidenceStore (${stores.map((s) => s.at).join(', ')}) is decided at run time; pass --database-url pglite:<dir> with the app stopped and run npx parapet migrate to be sure.`);
  return ok(`The embedded PGlite evidence store (${stores.map((s) => s.at).join(', ')}) applies pending migrations when the app opens it (migrate: true, createEvidenceStore's default); its data directory is not opened here while the app may run.`);
}

const migrationsApplied: Check = {
  id: 'migrations-applied',
  title: 'The evidence store migrations are applied',
  group: 'database',
  async run(context) {
    const given = databaseUrlOf(context);
    if (given === undefined || !isPostgres(given)) return embeddedMigrations(context, given);
    const url = given;
    const evidence = (await loadEvidence('doctor')) as unknown as { evidenceMigrations: Record<string, unknown>; pendingEvidenceMigrationsIn(args: { database: unknown }): Promise<string[]> };
    const expected = Object.keys(evidence.evidenceMigrations);
    let pending: string[];
    try {
      pending = await withPostgres(url, (pool) => evidence.pendingEvidenceMigrationsIn({ database: pool }));
    } catch (cause) {
      return unreachable(url, cause);
    }
    if (pending.length === 0) return ok(`All ${plural(expected.length, 'evidence migration')} are applied on ${redact(url)}.`);
    return error(
      pending.length === expected.length
        ? `The evidence store's tables do not exist on ${redact(url)}: the Alertmanager webhook and the operator API will fail.`
        : `${plural(pending.length, 'evidence migration')} not applied on ${redact(url)}: this @parapet/evidence-pg expects tables or columns that are missing.`,
      `Run npx parapet migrate --database-url <direct postgres:// URL> (or DATABASE_URL=… npx parapet migrate), over a direct connection, not PgBouncer.`,
      pending.map((name) => `pending: ${name}`),
    );
  },
};

/**
 * PgBouncer cannot run migrations in transaction pooling mode: Kysely's migration lock is a
 * session-level advisory lock, which PgBouncer does not keep on one server connection. A URL is
 * recognised by PgBouncer's default port (6432), a pooler port/host of the common hosts (Supabase
 * 6543, "-pooler" hosts) or Prisma's `pgbouncer=true` flag.
 */
export function looksLikePooler(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.port === '6432') return 'port 6432 is PgBouncer\'s default port';
  if (parsed.port === '6543') return 'port 6543 is the Supabase connection pooler';
  if (/pgbouncer|pooler/i.test(parsed.hostname)) return `the host ${parsed.hostname} is a connection pooler`;
  if (parsed.searchParams.get('pgbouncer') === 'true') return 'the URL has pgbouncer=true';
  return undefined;
}

const pgbouncerMigrations: Check = {
  id: 'pgbouncer-migrations',
  title: 'Migrations run over a direct connection, not PgBouncer',
  group: 'database',
  async run(context) {
    const url = postgresUrl(context, 'is not PostgreSQL.');
    if (isOutcome(url)) return url;
    const why = looksLikePooler(url);
    if (!why) return ok(`${redact(url)} looks like a direct PostgreSQL connection.`);
    return error(
      `The migration database URL ${redact(url)} goes through a connection pooler (${why}). In transaction pooling mode the migration lock (a session-level advisory lock) is not held, so two deploys can migrate at once, or migrations fail.`,
      'Run parapet migrate with the direct URL (PostgreSQL\'s own port, usually 5432), and give createEvidenceStore the direct connection as `migrationDatabase` while the app keeps the pooled one as `database`.',
    );
  },
};

const watchdogHeartbeat: Check = {
  id: 'watchdog-heartbeat',
  title: 'The watchdog alert reaches the webhook',
  group: 'database',
  async run(context) {
    const url = postgresUrl(context, "is an embedded PGlite store, which is not opened while the app may run; the app's GET /parapet/api/health reports the heartbeat.");
    if (isOutcome(url)) return url;
    let loop: { name: string; at: Date }[];
    try {
      loop = await withPostgres(url, async (pool) => {
        const exists = await pool.query("SELECT to_regclass('parapet_loop') IS NOT NULL AS present");
        if (!exists.rows[0]?.present) return [];
        return (await pool.query('SELECT name, at FROM parapet_loop')).rows.map((r) => ({ name: String(r.name), at: new Date(r.at as string) }));
      });
    } catch (cause) {
      return unreachable(url, cause);
    }
    // The same rule as the store's health(): older than 15 minutes means the alert path is broken.
    const { WATCHDOG_ALERTNAME, WATCHDOG_HEARTBEAT_MAX_AGE_MS } = await import('@parapet/core/slo');
    const heartbeat = loop.find((l) => l.name === 'last_heartbeat')?.at;
    const path = 'Prometheus (the ParapetWatchdog rule from parapet gen prometheus) → Alertmanager (the watchdog route from parapet gen alertmanager) → your app\'s POST /parapet/alertmanager';
    if (!heartbeat) {
      return warn(
        `No ${WATCHDOG_ALERTNAME} heartbeat has ever arrived in ${redact(url)}: nothing proves that alerts reach Parapet (normal before Prometheus and Alertmanager run the generated files).`,
        `Load the generated rules and Alertmanager config and check each hop: ${path}. parapet doctor --prometheus <url> --alertmanager <url> checks the first two.`,
      );
    }
    const age = Date.now() - heartbeat.getTime();
    if (age > WATCHDOG_HEARTBEAT_MAX_AGE_MS) {
      return error(
        `The last ${WATCHDOG_ALERTNAME} heartbeat arrived ${Math.round(age / 60_000)} min ago (at ${heartbeat.toISOString()}): the alert path is broken, so real pages may not arrive either.`,
        `Check each hop: ${path}; Alertmanager's log shows failed webhook notifications (a wrong token is a 401).`,
      );
    }
    return ok(`The ${WATCHDOG_ALERTNAME} heartbeat arrived ${Math.round(age / 1000)} s ago: the alert path works.`);
  },
};

/** Reads the control file of a PostgreSQL data directory: format version and catalog version. */
function controlVersions(dataDir: string): { control: number; catalog: number } | undefined {
  const file = join(dataDir, 'global', 'pg_control');
  if (!existsSync(file)) return undefined;
  const bytes = readFileSync(file);
  if (bytes.length < 16) return undefined;
  // ControlFileData: uint64 system_identifier, uint32 pg_control_version, uint32 catalog_version_no (little-endian in wasm).
  return { control: bytes.readUInt32LE(8), catalog: bytes.readUInt32LE(12) };
}

interface PGliteModule {
  PGlite: new () => { query(sql: string): Promise<{ rows: Record<string, unknown>[] }>; close(): Promise<void> };
}

/** The project's own @electric-sql/pglite (what the app loads), or undefined. */
async function projectPGlite(cwd: string): Promise<{ module: PGliteModule; version: string } | undefined> {
  const require = createRequire(join(cwd, 'package.json'));
  let entry: string;
  try {
    entry = require.resolve('@electric-sql/pglite');
  } catch {
    return undefined;
  }
  // Its package.json is not exported: walk up from the entry to the package's own folder.
  let dir = dirname(entry);
  while (readPackageJson(dir)?.name !== '@electric-sql/pglite' && dirname(dir) !== dir) dir = dirname(dir);
  return { module: (await import(pathToFileURL(entry).href)) as PGliteModule, version: String(readPackageJson(dir)?.version ?? 'unknown') };
}

/** The PGlite data directory: `pglite:<dir>` as the database URL, else the entry file's `createEvidenceStore({ dataDir })`. */
function pgliteDataDir(context: DoctorContext): string | Outcome {
  const url = databaseUrlOf(context);
  if (url?.startsWith('pglite:')) return url.slice('pglite:'.length) || '.';
  if (url) return skip(`${redact(url)} is not an embedded PGlite directory.`);
  const source = context.source();
  const store = 'entry' in source ? source.entry.calls.find((c) => c.kind === 'evidence-store' && property(c.options, 'dataDir')) : undefined;
  const option = property(store?.options, 'dataDir');
  const dir = option?.type === 'ObjectProperty' ? staticString(option.value, context.env) : undefined;
  return dir ?? skip('No PGlite data directory given (--database-url pglite:<dir>, DATABASE_URL, or createEvidenceStore({ dataDir }) in the entry file).');
}

const pgliteVersion: Check = {
  id: 'pglite-version',
  title: 'The PGlite data directory matches the installed PGlite',
  group: 'database',
  async run(context) {
    const given = pgliteDataDir(context);
    if (isOutcome(given)) return given;
    const dir = resolve(context.cwd, given);
    const onDisk = controlVersions(dir);
    if (!onDisk) return skip(`${dir} is not a PGlite data directory yet (no global/pg_control); the first createEvidenceStore({ dataDir }) creates it.`);
    const pglite = await projectPGlite(context.cwd);
    if (!pglite) return skip('@electric-sql/pglite is not installed in this project, so there is nothing to compare the data directory with.');
    // The installed PGlite's own catalog version, from a throwaway in-memory instance.
    const memory = new pglite.module.PGlite();
    let installed: { control: number; catalog: number };
    try {
      const row = (await memory.query('SELECT pg_control_version, catalog_version_no FROM pg_control_system()')).rows[0]!;
      installed = { control: Number(row.pg_control_version), catalog: Number(row.catalog_version_no) };
    } finally {
      await memory.close();
    }
    const pgVersion = existsSync(join(dir, 'PG_VERSION')) ? readFileSync(join(dir, 'PG_VERSION'), 'utf8').trim() : '?';
    if (onDisk.catalog === installed.catalog && onDisk.control === installed.control) {
      return ok(`${dir} was written by a PGlite with the same on-disk format as the installed @electric-sql/pglite ${pglite.version}.`);
    }
    return error(
      `${dir} was written by another PGlite version (PostgreSQL ${pgVersion}, catalog ${onDisk.catalog}); the installed @electric-sql/pglite ${pglite.version} uses catalog ${installed.catalog} and cannot open it (PGlite's on-disk format changes between minor versions).`,
      `Install the PGlite version that wrote it (npm install @electric-sql/pglite@<that version>; pin it with ~ as Parapet does), or move the directory aside and let createEvidenceStore({ dataDir }) create a new one (its incidents are lost).`,
    );
  },
};

export const databaseChecks: readonly Check[] = [migrationsApplied, pgbouncerMigrations, watchdogHeartbeat, pgliteVersion];
