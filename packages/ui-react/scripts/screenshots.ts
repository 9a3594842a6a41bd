// Refreshes the images the README shows (screenshots/*.png, committed): the queue and an incident
// page at desktop (1280 px) and phone (375 px) widths, from a real server on embedded PGlite.
// Usage: npm run screenshots (in packages/ui-react). Needs /usr/bin/chromium (npm run services).
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../test/browser.js';
import { seedQueue } from '../test/seed.js';
import { startWorkbenchServer } from '../test/server.js';

const out = fileURLToPath(new URL('../screenshots/', import.meta.url));
mkdirSync(out, { recursive: true });
const server = await startWorkbenchServer({ target: 'pglite', workbench: { pollIntervalMs: 0 } });
const { checkoutId } = await seedQueue(server);
const act = (path: string, body: unknown) =>
  fetch(`${server.url}/parapet/api/incidents/${checkoutId}/${path}`, { method: 'POST', headers: { cookie: 'parapet_user=ada', 'content-type': 'application/json' }, body: JSON.stringify(body) });
await act('acknowledge', { rationale: 'Looking at it; the payment-router flag flipped 8 minutes before the burn.' });
await act('notes', { rationale: 'Error rate tracks the flag: 4.2% on the new router, 0.1% on the old one.' });
await act('action-items', { title: 'Add a canary stage for payment-router flags', target: 'https://tracker.example.com/PAY-231', rationale: 'the flag went to 100% at once' });
await server.store.recordTimelineEntry({ incidentId: checkoutId, type: 'notification', summary: 'Paged Ada Lovelace (payments on-call) by email and Slack' });

const { context, close } = await launchChromium();
await context.addCookies([{ name: 'parapet_user', value: 'ada', url: server.url }]);
for (const [width, suffix] of [[1280, 'desktop'], [375, 'phone']] as const) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height: width > 400 ? 800 : 740 });
  await page.goto(`${server.url}/parapet/`);
  await page.locator('[data-testid=queue] > li').first().waitFor();
  await page.screenshot({ path: `${out}queue-${suffix}.png`, fullPage: width > 400 });
  await page.goto(`${server.url}/parapet/incidents/${checkoutId}`);
  await page.locator('[data-testid=controls]').waitFor();
  await page.screenshot({ path: `${out}incident-${suffix}.png`, fullPage: true });
  await page.close();
}
await close();
await server.close();
console.log(`wrote ${out}{queue,incident}-{desktop,phone}.png`);
