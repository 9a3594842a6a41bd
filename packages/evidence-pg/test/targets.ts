import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { createTestDatabase, quiet } from '@parapet/vitest-preset/databases';
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
      const database = await createTestDatabase('parapet_ev');
      const directUrl = database.url;
      const url = name === 'pgbouncer' ? database.pgbouncerUrl : directUrl;
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
