import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createEvidenceStore, type EvidenceStoreHandle } from '../src/index.js';

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface BenchTarget {
  name: string;
  store: EvidenceStoreHandle;
  close(): Promise<void>;
}

export async function openBenchTarget(kind: 'postgres' | 'pglite'): Promise<BenchTarget> {
  if (kind === 'pglite') {
    const store = await createEvidenceStore();
    return { name: 'PGlite (in memory)', store, close: () => store.close() };
  }
  const name = `parapet_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 10 });
  pool.on('error', () => {});
  const store = await createEvidenceStore({ database: pool });
  return {
    name: 'PostgreSQL 15 (local)',
    store,
    async close() {
      await store.close();
      await pool.end();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
