import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { databaseUrl, pgbouncerUrl } from '@parapet/vitest-preset/services';
import { createEvidenceStore, type EvidenceStoreHandle, type EvidenceStoreOptions } from '../src/index.js';

export type TargetName = 'pglite' | 'postgres' | 'pgbouncer';

export interface OpenedStore {
  store: EvidenceStoreHandle;
  /** Connection URL of the store's database (Postgres targets). */
  url?: string;
  /** A direct pool to the same database (Postgres targets), for assertions outside the store. */
  direct?: pg.Pool;
  close(): Promise<void>;
}

export interface Target {
  name: TargetName;
  /** Several connections at once (PGlite is one connection in one process). */
  concurrent: boolean;
  open(options?: Omit<EvidenceStoreOptions, 'database' | 'migrationDatabase'>): Promise<OpenedStore>;
}

/** Idle clients of a dropped test database report 57P01 on the pool; that is expected at teardown. */
export function quiet(pool: pg.Pool): pg.Pool {
  pool.on('error', () => {});
  return pool;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A fresh database on the shared server for one store: tests never see each other's rows. */
export async function createDatabase(): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `parapet_ev_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    name,
    async drop() {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export const pgliteTarget: Target = {
  name: 'pglite',
  concurrent: false,
  async open(options = {}) {
    const store = await createEvidenceStore(options);
    return { store, close: () => store.close() };
  },
};

function postgresLike(name: 'postgres' | 'pgbouncer'): Target {
  return {
    name,
    concurrent: true,
    async open(options = {}) {
      const database = await createDatabase();
      const directUrl = withDatabase(databaseUrl, database.name);
      const url = name === 'pgbouncer' ? withDatabase(pgbouncerUrl, database.name) : directUrl;
      const pool = quiet(new pg.Pool({ connectionString: url, max: 20 }));
      const direct = quiet(new pg.Pool({ connectionString: directUrl, max: 4 }));
      // Migrations over a direct connection (Kysely's migration lock is session-level).
      const migrationDatabase = new Kysely<any>({ dialect: new PostgresDialect({ pool: quiet(new pg.Pool({ connectionString: directUrl, max: 1 })) }) });
      const store = await createEvidenceStore({ ...options, database: pool, migrationDatabase });
      await migrationDatabase.destroy();
      return {
        store,
        url,
        direct,
        async close() {
          await store.close();
          await pool.end();
          await direct.end();
          await database.drop();
        },
      };
    },
  };
}

export const postgresTarget = postgresLike('postgres');
export const pgbouncerTarget = postgresLike('pgbouncer');
