import pg from 'pg';
import { createEvidenceStore, type EvidenceExtension, type EvidenceStoreHandle } from '@parapet/evidence-pg';

/** The evidence store and what closes it. */
export interface Evidence {
  store: EvidenceStoreHandle;
  /** `postgres` (DATABASE_URL) or `pglite` (embedded; PARAPET_DATA_DIR or in memory). */
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

/**
 * PostgreSQL when `databaseUrl` is set (migrations over `databaseUrlDirect` when given, as behind
 * PgBouncer), embedded PGlite otherwise. Pending migrations (the store's and the extensions':
 * MCP audit, response) run here, so an empty database works.
 */
export async function openEvidence(settings: { databaseUrl?: string; databaseUrlDirect?: string; dataDir?: string }, extensions: EvidenceExtension[] = []): Promise<Evidence> {
  if (settings.databaseUrl) {
    const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: 5 });
    pool.on('error', () => {}); // an idle client lost to a server restart must not crash the demo
    const direct = settings.databaseUrlDirect ? new pg.Pool({ connectionString: settings.databaseUrlDirect, max: 1 }) : undefined;
    direct?.on('error', () => {});
    try {
      const store = await createEvidenceStore({ database: pool, extensions, ...(direct ? { migrationDatabase: direct } : {}) });
      return {
        store, kind: 'postgres',
        async close() {
          await store.close();
          // The store may have ended the pool with its Kysely instance; ending twice is harmless here.
          await pool.end().catch(() => {});
          await direct?.end().catch(() => {});
        },
      };
    } catch (error) {
      await pool.end();
      await direct?.end();
      throw error;
    }
  }
  const store = await createEvidenceStore({ extensions, ...(settings.dataDir ? { dataDir: settings.dataDir } : {}) });
  return { store, kind: 'pglite', close: () => store.close() };
}
