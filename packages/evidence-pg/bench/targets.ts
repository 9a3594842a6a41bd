import pg from 'pg';
import { createTestDatabase } from '@parapet/vitest-preset/databases';
import { createEvidenceStore, type EvidenceStoreHandle } from '../src/index.js';

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
  const database = await createTestDatabase('parapet_bench');
  const pool = new pg.Pool({ connectionString: database.url, max: 10 });
  pool.on('error', () => {});
  const store = await createEvidenceStore({ database: pool });
  return {
    name: 'PostgreSQL 15 (local)',
    store,
    async close() {
      await store.close();
      await pool.end();
      await database.drop();
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
