// Workbench at scale: 50,000 active incidents (set-based seed), then
//  - API latency through the real HTTP server: queue first page, a deep keyset page, incident detail;
//  - time to interactive in Debian's Chromium: queue first render (50 rows visible, links focusable),
//    next page, and the incident page (controls visible) for an incident with a 200-entry timeline.
// Usage: npm run bench (in packages/ui-react) [-- <postgres|pglite> <size>]
import { sql } from 'kysely';
import { launchChromium } from '../test/browser.js';
import { startWorkbenchServer } from '../test/server.js';

const target = (process.argv[2] ?? 'postgres') as 'postgres' | 'pglite';
const size = Number(process.argv[3] ?? 50_000);
const RUNS = 100;
const PAGES = 7;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

const server = await startWorkbenchServer({ target });
const db = server.store.db;
const seedStart = performance.now();
await sql`
  INSERT INTO parapet_incident (state, correlation_key, fingerprint, alertname, severity, slo, labels, annotations, opened_at, updated_at)
  SELECT CASE WHEN g % 4 = 0 THEN 'investigating' ELSE 'open' END, 'k' || g, lpad(to_hex(g), 16, '0'), 'SLOBurn' || (g % 50),
         CASE WHEN g % 3 = 0 THEN 'page' ELSE 'ticket' END, 'slo_' || (g % 20),
         jsonb_build_object('alertname', 'SLOBurn' || (g % 50), 'slo', 'slo_' || (g % 20)), jsonb_build_object('summary', 'burn on slice ' || (g % 20)),
         now() - (g * interval '7 second') - (g % 997) * interval '1 microsecond', now()
  FROM generate_series(1, ${size}::int) AS g`.execute(db);
const newest = (await sql<{ id: string }>`SELECT id::text AS id FROM parapet_incident ORDER BY opened_at DESC, id DESC LIMIT 1`.execute(db)).rows[0]!.id;
for (let i = 0; i < 200; i++) {
  await server.store.recordTimelineEntry({ incidentId: newest, type: i % 2 ? 'notification' : 'system_action', summary: `entry ${i}: paged the on-call rotation`, dedupeKey: `bench-${i}` });
}
await sql`ANALYZE parapet_incident`.execute(db);
console.log(`${target}: seeded ${size.toLocaleString('en')} active incidents in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

const cookie = { cookie: 'parapet_user=ada' };
const api = `${server.url}/parapet/api`;
async function time(url: string, headers: Record<string, string> = {}, status = 200): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < RUNS + 10; i++) {
    const t = performance.now();
    const res = await fetch(url, { headers: { ...cookie, ...headers } });
    await res.arrayBuffer();
    if (res.status !== status) throw new Error(`${url} answered ${res.status}`);
    if (i >= 10) out.push(performance.now() - t);
  }
  return out;
}
const first = await time(`${api}/incidents?state=active&limit=50`);
let cursor = '';
for (let i = 0; i < 100; i++) cursor = ((await (await fetch(`${api}/incidents?state=active&limit=200${cursor ? `&cursor=${cursor}` : ''}`, { headers: cookie })).json()) as { nextCursor: string }).nextCursor;
const deep = await time(`${api}/incidents?state=active&limit=50&cursor=${cursor}`);
const detail = await time(`${api}/incidents/${newest}`);
const etag = (await fetch(`${api}/incidents?state=active&limit=50`, { headers: cookie })).headers.get('etag')!;
const poll = await time(`${api}/incidents?state=active&limit=50`, { 'if-none-match': etag }, 304);
console.log(`API (HTTP, ${RUNS} runs): queue first page p50 ${ms(pct(first, 50))} p99 ${ms(pct(first, 99))}; deep page (row 20,000) p50 ${ms(pct(deep, 50))} p99 ${ms(pct(deep, 99))}; incident detail (200 timeline entries) p50 ${ms(pct(detail, 50))} p99 ${ms(pct(detail, 99))}; change-token poll (304) p50 ${ms(pct(poll, 50))} p99 ${ms(pct(poll, 99))}`);

const { context, close } = await launchChromium();
await context.addCookies([{ name: 'parapet_user', value: 'ada', url: server.url }]);
const queueTti: number[] = [];
const nextPage: number[] = [];
const detailTti: number[] = [];
for (let i = 0; i < PAGES; i++) {
  const page = await context.newPage();
  await page.goto(`${server.url}/parapet/`);
  await page.locator('[data-testid=queue] > li:nth-child(50) a').waitFor();
  queueTti.push(await page.evaluate(() => performance.now()));
  const t = performance.now();
  await page.getByRole('button', { name: 'Older' }).click();
  await page.locator('.pw-meta', { hasText: 'Page 2' }).waitFor();
  await page.locator('[data-testid=queue] > li:nth-child(50) a').waitFor();
  nextPage.push(performance.now() - t);
  await page.goto(`${server.url}/parapet/incidents/${newest}`);
  await page.getByRole('button', { name: 'Acknowledge', exact: true }).waitFor();
  detailTti.push(await page.evaluate(() => performance.now()));
  await page.close();
}
console.log(`Chromium (${PAGES} loads, median): queue first render to 50 interactive rows ${ms(pct(queueTti, 50))} (max ${ms(Math.max(...queueTti))}); next page ${ms(pct(nextPage, 50))}; incident page to controls ${ms(pct(detailTti, 50))} (max ${ms(Math.max(...detailTti))})`);
await close();
await server.close();
