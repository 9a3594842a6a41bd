// Queue latency: first page and a deep page (keyset cursor in the middle of the active queue) at
// N incidents. Seeds rows set-based in the database for speed.
// Usage: tsx --conditions=parapet-source bench/queue.bench.ts [sizes=50000,1000000] [targets=postgres,pglite]
import { sql } from 'kysely';
import { fmt, openBenchTarget, percentile } from './targets.js';

const sizes = (process.argv[2] ?? '50000,1000000').split(',').map(Number);
const kinds = (process.argv[3] ?? 'postgres,pglite').split(',') as ('postgres' | 'pglite')[];
const RUNS = 200;

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 20; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

for (const kind of kinds) {
  for (const size of sizes) {
    if (kind === 'pglite' && size > 50_000) continue; // the 1,000,000 figure is for PostgreSQL
    const target = await openBenchTarget(kind);
    const { db } = target.store;
    const seedStart = performance.now();
    // 80 % resolved, 20 % active, spread over a year with microsecond timestamps.
    for (let from = 1; from <= size; from += 100_000) {
      const to = Math.min(size, from + 99_999);
      await sql`
        INSERT INTO parapet_incident (state, correlation_key, fingerprint, alertname, severity, slo, labels, annotations, opened_at, resolved_at, updated_at)
        SELECT CASE WHEN g % 5 = 0 THEN 'open' ELSE 'resolved' END, 'k' || g, lpad(to_hex(g), 16, '0'), 'Alert' || (g % 50),
               CASE WHEN g % 3 = 0 THEN 'critical' ELSE 'warning' END, 'slo-' || (g % 20), '{}'::jsonb, '{}'::jsonb,
               timestamptz '2025-08-20 00:00:00+00' + (g * interval '31 second') + (g % 997) * interval '1 microsecond',
               CASE WHEN g % 5 = 0 THEN NULL ELSE timestamptz '2025-08-20 01:00:00+00' + (g * interval '31 second') END, now()
        FROM generate_series(${from}::int, ${to}::int) AS g`.execute(db);
    }
    await sql`ANALYZE parapet_incident`.execute(db);
    const seeded = ((performance.now() - seedStart) / 1000).toFixed(1);
    const first = await time(() => target.store.listIncidents({ limit: 50 }));
    // A cursor halfway down the active queue.
    let cursor: string | null = null;
    const activeCount = Math.floor(size / 5);
    const mid = (await sql<{ id: string; at: string }>`
      SELECT id::text AS id, to_char(opened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at
      FROM parapet_incident WHERE state <> 'resolved' ORDER BY opened_at DESC, id DESC OFFSET ${Math.floor(activeCount / 2)} LIMIT 1`.execute(db)).rows[0]!;
    cursor = Buffer.from(JSON.stringify([mid.at, mid.id])).toString('base64url');
    const deep = await time(() => target.store.listIncidents({ limit: 50, cursor: cursor! }));
    const deepAll = await time(() => target.store.listIncidents({ state: 'all', limit: 50, cursor: cursor! }));
    console.log(
      `${target.name}, ${size.toLocaleString('en')} incidents (${activeCount.toLocaleString('en')} active; seeded in ${seeded} s): ` +
        `first page p50 ${fmt(percentile(first, 50))} p99 ${fmt(percentile(first, 99))}; ` +
        `deep page (active) p50 ${fmt(percentile(deep, 50))} p99 ${fmt(percentile(deep, 99))}; ` +
        `deep page (all) p50 ${fmt(percentile(deepAll, 50))} p99 ${fmt(percentile(deepAll, 99))}`,
    );
    await target.close();
  }
}
