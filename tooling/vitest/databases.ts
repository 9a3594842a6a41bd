// Test databases on the shared PostgreSQL server: one fresh database per test file (or per store),
// dropped afterwards, so tests never see each other's rows. Guard callers with
// `needs('postgres')` (and `needs('pgbouncer')`) from `@parapet/vitest-preset/services`.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { databaseUrl, pgbouncerUrl } from './services.js';

export { databaseUrl, pgbouncerUrl };

/** `url` with its database replaced by `database` (same host, credentials and options). */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Idle clients of a dropped test database report 57P01 on the pool; that is expected at teardown. */
export function quiet<P extends pg.Pool>(pool: P): P {
  pool.on('error', () => {});
  return pool;
}

export interface TestDatabase {
  /** Database name: `<prefix>_<12 hex digits>`. */
  name: string;
  /** Direct connection URL of the database. */
  url: string;
  /** The same database through PgBouncer. */
  pgbouncerUrl: string;
  /** Drops the database (`WITH (FORCE)`, so open connections do not block it). */
  drop(): Promise<void>;
}

async function admin(sql: string, adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates a fresh, uniquely named database on the server `adminUrl` (default: DATABASE_URL) points at. */
export async function createTestDatabase(prefix: string, adminUrl: string = databaseUrl): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`, adminUrl);
  return {
    name,
    url: withDatabase(adminUrl, name),
    pgbouncerUrl: withDatabase(pgbouncerUrl, name),
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, adminUrl),
  };
}
