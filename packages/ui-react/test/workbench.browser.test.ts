import { existsSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { needs, report } from '@parapet/vitest-preset/services';
import { CHROMIUM, launchChromium } from './browser.js';
import { fakeResponseRoutes } from './fake-response.js';
import { seedQueue } from './seed.js';
import { payload, startWorkbenchServer, USERS, type WorkbenchServer } from './server.js';
import { waitFor } from '@parapet/vitest-preset/processes';

const SHOTS = new URL('../.screenshots/', import.meta.url);
const haveChromium = report(existsSync(CHROMIUM) ? [] : [`chromium (${CHROMIUM}; apt-get install -y chromium)`]);
const targets = [
  // PGlite under a deeper mount (any base path works); Postgres under the default one.
  { name: 'pglite' as const, basePath: '/ops/parapet', run: haveChromium },
  { name: 'postgres' as const, basePath: '/parapet', run: haveChromium && (await needs('postgres')) },
];

/** Poll until `check` holds (never a fixed sleep). */
const until = <T>(check: () => Promise<T | undefined | false | null>, what: string, timeoutMs = 15_000): Promise<T> => waitFor(what, check, { timeoutMs, everyMs: 100 }) as Promise<T>;

for (const target of targets) {
  describe.skipIf(!target.run)(`workbench in Chromium, evidence store on ${target.name}`, () => {
    let server: WorkbenchServer;
    let context: BrowserContext;
    let closeBrowser: () => Promise<void>;
    let checkoutId: string;
    const cspViolations: string[] = [];
    const pageErrors: string[] = [];

    const api = async <T>(path: string, init: RequestInit = {}) => {
      const res = await fetch(`${server.url}${server.basePath}/api${path}`, { ...init, headers: { cookie: 'parapet_user=ada', 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });
      return { status: res.status, body: (await res.json()) as T };
    };
    const detail = async (id: string) => (await api<{ incident: { state: string; escalation: { step: number } }; timeline: { type: string; actor: string | null; summary: string }[]; audits: { action: string; outcome: string; actor: { id: string; name: string } }[] }>(`/incidents/${id}`)).body;

    async function open(path: string, width = 1280): Promise<Page> {
      const page = await context.newPage();
      await page.setViewportSize({ width, height: 900 });
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
      });
      page.on('pageerror', (e) => pageErrors.push(e.message));
      page.on('dialog', (d) => void d.dismiss());
      await page.goto(`${server.url}${server.basePath}${path}`);
      return page;
    }

    beforeAll(async () => {
      server = await startWorkbenchServer({ target: target.name, basePath: target.basePath });
      ({ checkoutId } = await seedQueue(server));
      ({ context, close: closeBrowser } = await launchChromium());
      await context.addCookies([{ name: 'parapet_user', value: 'ada', url: server.url }]);
      mkdirSync(SHOTS, { recursive: true });
    });
    afterAll(async () => {
      await closeBrowser?.();
      await server?.close();
    });

    it('serves the page under the mount with a strict CSP, and never answers the API, webhook or MCP paths', async () => {
      const res = await fetch(`${server.url}${server.basePath}/incidents/${checkoutId}`, { headers: { cookie: 'parapet_user=ada' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await res.text();
      expect(html).toContain(`<base href="${server.basePath}/"`);
      expect(html).not.toMatch(/<script>(?!<)/);
      expect(html).not.toMatch(/https?:\/\/(fonts|cdn)/);
    });

    it('renders the seeded queue, newest first, with severity in words', async () => {
      const page = await open('/');
      const rows = page.locator('[data-testid=queue] > li');
      await until(async () => (await rows.count()) === 3, 'three queue rows');
      const text = await rows.allInnerTexts();
      expect(text[0]).toContain('checkout_availability');
      expect(text[0]).toMatch(/page/);
      expect(text[1]).toContain('email_delivery');
      expect(text[2]).toContain('login_latency');
      await page.screenshot({ path: new URL('queue-desktop.png', SHOTS).pathname, fullPage: true });
      await page.close();
    });

    it('orders the incident page summary → timeline → controls, flags the deploy and flag change as suspects', async () => {
      const page = await context.newPage();
      // @parapet/response is not installed here: both of its routes answer 404.
      const probes = Promise.all(['runbooks', 'escalation'].map((r) => page.waitForResponse((res) => res.url().endsWith(`/incidents/${checkoutId}/${r}`) && res.status() === 404)));
      await page.goto(`${server.url}${server.basePath}/incidents/${checkoutId}`);
      await page.locator('[data-testid=controls]').waitFor();
      const order = await page.evaluate(() => {
        const root = document.querySelector('[data-parapet-workbench]')!.shadowRoot!;
        return Array.from(root.querySelectorAll('[data-testid]')).map((e) => e.getAttribute('data-testid')).filter((t) => ['summary', 'timeline', 'links', 'action-items', 'controls'].includes(t!));
      });
      expect(order).toEqual(['summary', 'timeline', 'links', 'action-items', 'controls']);
      await probes; // so no runbook panel and no escalation chain:
      expect(await page.locator('[data-testid=runbooks]').count()).toBe(0);
      expect(await page.locator('[data-testid=escalation-chain]').count()).toBe(0);
      const suspects = page.locator('[data-testid=timeline] li.pw-entry-suspect');
      await until(async () => (await suspects.count()) === 2, 'two suspect entries');
      expect(await suspects.evaluateAll((els) => els.map((e) => e.getAttribute('data-type')))).toEqual(['deploy', 'flag_change']);
      const links = await page.locator('[data-testid=links] a').evaluateAll((els) => els.map((e) => (e as HTMLAnchorElement).href));
      expect(links).toContain('https://grafana.example.com/d/parapet-checkout-availability');
      expect(links.every((h) => h.startsWith('https://'))).toBe(true);
      await page.screenshot({ path: new URL('detail-desktop.png', SHOTS).pathname, fullPage: true });
      await page.close();
    });

    it('acknowledging with a rationale (by keyboard) adds an audited timeline entry with the actor authorize returned', async () => {
      const page = await open(`/incidents/${checkoutId}`);
      const ack = page.getByRole('button', { name: 'Acknowledge', exact: true });
      await ack.focus();
      await page.keyboard.press('Enter');
      const rationale = page.locator('[data-testid=form-acknowledge] textarea');
      await rationale.waitFor();
      expect(await rationale.evaluate((e) => e === (e.getRootNode() as ShadowRoot).activeElement)).toBe(true);
      await page.keyboard.type('Looking at the payment-router flag flip');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.locator('.pw-ok').waitFor();
      const entry = page.locator('[data-testid=timeline] li[data-type=acknowledged]');
      await entry.waitFor();
      expect(await entry.getAttribute('data-actor-kind')).toBe('operator');
      expect(await entry.innerText()).toContain(`by ${USERS.ada.name}`);
      expect(await page.locator('[data-testid=summary]').innerText()).toContain(`by ${USERS.ada.name}`);
      const d = await detail(checkoutId);
      expect(d.incident.state).toBe('investigating');
      const audit = d.audits.find((a) => a.action === 'acknowledge');
      expect(audit?.actor).toMatchObject({ id: USERS.ada.id, name: USERS.ada.name });
      expect(audit?.outcome).toBe('succeeded');
      await page.close();
    });

    it('a double-submitted action acts once (one Idempotency-Key per intent)', async () => {
      const page = await open(`/incidents/${checkoutId}`);
      const keys: string[] = [];
      page.on('request', (r) => {
        if (r.method() === 'POST' && r.url().endsWith('/escalate')) keys.push(r.headers()['idempotency-key'] ?? '');
      });
      await page.getByRole('button', { name: 'Escalate', exact: true }).click();
      await page.locator('[data-testid=form-escalate]').getByLabel(/Rationale/).fill('Payments team needed now');
      // Two submits in the same tick: the button cannot disable itself in between.
      await page.locator('[data-testid=form-escalate]').evaluate((f) => {
        (f as HTMLFormElement).requestSubmit();
        (f as HTMLFormElement).requestSubmit();
      });
      await page.locator('.pw-ok').waitFor();
      await until(async () => keys.length === 2, 'both POSTs');
      expect(keys[0]).toMatch(/.{16,}/);
      expect(keys[1]).toBe(keys[0]);
      const d = await until(async () => {
        const x = await detail(checkoutId);
        return x.audits.filter((a) => a.action === 'escalate').length >= 1 && x;
      }, 'the escalate audit');
      expect(d.incident.escalation.step).toBe(1);
      expect(d.audits.filter((a) => a.action === 'escalate' && a.outcome === 'succeeded')).toHaveLength(1);
      await page.close();
    });

    it('shows the API 409 message in words when the incident moved on', async () => {
      const page = await open(`/incidents/${checkoutId}`);
      await page.getByRole('button', { name: 'Resolve', exact: true }).click();
      await page.locator('[data-testid=form-resolve]').getByLabel(/Rationale/).fill('Error rate back under 0.1%');
      // Someone else resolves it first.
      expect((await api(`/incidents/${checkoutId}/resolve`, { method: 'POST', body: JSON.stringify({ rationale: 'fixed by rollback' }) })).status).toBe(200);
      await page.getByRole('button', { name: 'Resolve now' }).click();
      const alert = page.locator('[data-testid=form-resolve] [role=alert]');
      await alert.waitFor();
      expect(await alert.innerText()).toMatch(/resolved/);
      await page.close();
      // It is in the resolved history now; reopen it for the remaining tests.
      const history = await open('/resolved');
      await history.locator(`[data-incident-id="${checkoutId}"]`).waitFor();
      await history.close();
      expect((await api(`/incidents/${checkoutId}/reopen`, { method: 'POST', body: JSON.stringify({ rationale: 'errors back' }) })).status).toBe(200);
    });

    it('renders alert text as text: <img onerror> and javascript: links stay inert', async () => {
      const res = await server.deliver(
        payload([{ fingerprint: 'xss', startsAt: new Date().toISOString(), labels: { slo: 'checkout_availability', team: '<b>ops</b>' }, annotations: { summary: '<img src=x onerror="window.__pwned=1">hi', runbook_url: 'javascript:window.__pwned=2', dashboard: 'javascript:alert(1)' } }], '{}:{fp="xss"}'),
      );
      const id = ((await res.json()) as { incidentIds: string[] }).incidentIds[0]!;
      await api(`/incidents/${id}/action-items`, { method: 'POST', body: JSON.stringify({ title: 'bad link', target: 'javascript:window.__pwned=3', rationale: 'test' }) });
      const page = await open(`/incidents/${id}`);
      await page.locator('[data-testid=alert-summary]').waitFor();
      expect(await page.locator('[data-testid=alert-summary]').innerText()).toBe('<img src=x onerror="window.__pwned=1">hi');
      const inert = await page.evaluate(() => {
        const root = document.querySelector('[data-parapet-workbench]')!.shadowRoot!;
        const hrefs = Array.from(root.querySelectorAll('a')).map((a) => a.getAttribute('href') ?? '');
        return { imgs: root.querySelectorAll('img').length + document.querySelectorAll('img').length, bold: root.querySelectorAll('b').length, bad: hrefs.filter((h) => !/^(https?:|\/)/.test(h)), pwned: (window as unknown as { __pwned?: number }).__pwned };
      });
      expect(inert).toEqual({ imgs: 0, bold: 0, bad: [], pwned: undefined });
      expect(await page.locator('[data-testid=action-items]').innerText()).toContain('javascript:window.__pwned=3');
      await page.close();
    });

    it('shows "new activity — refresh" when a new alert arrives, without reordering until asked', async () => {
      const page = await open('/');
      const rows = page.locator('[data-testid=queue] > li');
      await until(async () => (await rows.count()) >= 3, 'queue rows');
      const before = await rows.count();
      await server.deliver(payload([{ fingerprint: 'new-one', startsAt: new Date().toISOString(), labels: { alertname: 'BrandNewAlert', slo: 'search_latency' } }], '{}:{fp="new-one"}'));
      const refresh = page.getByRole('button', { name: 'New activity — refresh' });
      await refresh.waitFor({ timeout: 15_000 });
      expect(await rows.count()).toBe(before);
      await refresh.click();
      await until(async () => (await rows.first().innerText()).includes('BrandNewAlert'), 'the new incident on top');
      expect(await rows.count()).toBe(before + 1);
      await page.close();
    });

    it('has no serious or critical axe-core violations on the queue and the incident page, and no CSP violations', async () => {
      const axe = (await import('axe-core')).default;
      for (const path of ['/', `/incidents/${checkoutId}`]) {
        const page = await open(path);
        await page.locator(path === '/' ? '[data-testid=queue]' : '[data-testid=controls]').waitFor();
        await page.evaluate(axe.source);
        const violations = await page.evaluate(async () => {
          const r = await (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run(document, { resultTypes: ['violations'] });
          return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}, ${v.nodes.length} nodes)`);
        });
        expect(violations, path).toEqual([]);
        await page.close();
      }
      expect(cspViolations).toEqual([]);
      expect(pageErrors).toEqual([]);
    });

    it('keeps host styles out and its own styles in (shadow root, pw- prefix)', async () => {
      const page = await open('/');
      await page.locator('[data-testid=queue] a').first().waitFor();
      const r = await page.evaluate(() => {
        const hostile = new CSSStyleSheet();
        hostile.replaceSync('* { color: rgb(255, 0, 0) !important; font-size: 40px !important; letter-spacing: 9px !important; } button, a { display: none !important; } .pw-row { display: none !important; }');
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, hostile];
        const probe = document.createElement('div');
        probe.className = 'pw-row';
        document.body.appendChild(probe);
        const link = document.querySelector('[data-parapet-workbench]')!.shadowRoot!.querySelector('[data-testid=queue] a')!;
        const cs = getComputedStyle(link);
        const row = getComputedStyle(link.closest('li')!);
        return { color: cs.color, size: cs.fontSize, spacing: cs.letterSpacing, display: cs.display, row: row.display, probe: getComputedStyle(probe).gridTemplateColumns };
      });
      expect(r.color).not.toBe('rgb(255, 0, 0)');
      expect(r.size).not.toBe('40px');
      expect(r.spacing).toBe('normal');
      expect(r.display).not.toBe('none');
      expect(r.row).toBe('grid');
      expect(r.probe).toBe('none');
      await page.close();
    });

    it('fits a 375 px phone without horizontal scrolling (queue and incident page)', async () => {
      for (const [path, shot] of [['/', 'queue-phone.png'], [`/incidents/${checkoutId}`, 'detail-phone.png']] as const) {
        const page = await open(path, 375);
        await page.locator(path === '/' ? '[data-testid=queue]' : '[data-testid=controls]').waitFor();
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(width, path).toBeLessThanOrEqual(375);
        await page.screenshot({ path: new URL(shot, SHOTS).pathname, fullPage: true });
        await page.close();
      }
    });
  });
}

describe.skipIf(!haveChromium)('runbook panel, when the response routes are installed', () => {
  let server: WorkbenchServer;
  let closeBrowser: () => Promise<void>;
  let context: BrowserContext;
  const fake = fakeResponseRoutes(() => server.store);

  beforeAll(async () => {
    server = await startWorkbenchServer({ target: 'pglite', routes: fake.routes });
    await seedQueue(server);
    ({ context, close: closeBrowser } = await launchChromium());
    await context.addCookies([{ name: 'parapet_user', value: 'ada', url: server.url }]);
  });
  afterAll(async () => {
    await closeBrowser?.();
    await server?.close();
  });

  it('previews a step, shows its effect and warnings as text, and a double confirm runs it once', async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}/parapet/incidents/3`);
    const panel = page.locator('[data-testid=runbooks]');
    await panel.waitFor();
    const order = await page.evaluate(() => Array.from(document.querySelector('[data-parapet-workbench]')!.shadowRoot!.querySelectorAll('section[data-testid]')).map((e) => e.getAttribute('data-testid')));
    expect(order).toEqual(['summary', 'timeline', 'links', 'action-items', 'runbooks', 'controls']);
    const chain = page.locator('[data-testid=summary] [data-testid=escalation-chain]');
    await chain.waitFor();
    expect(await chain.innerText()).toMatch(/payments-secondary, eng-manager[\s\S]*next, at/);
    await panel.getByRole('button', { name: /Preview .Requeue dead letters/ }).click();
    const form = page.locator('[data-testid=confirm-requeue]');
    await form.waitFor();
    expect(await form.innerText()).toContain('requeue 41 jobs from checkout.dlq');
    expect(await form.innerText()).toContain('<b>3 jobs</b> are older than 24 h');
    await form.getByLabel(/Rationale/).fill('DLQ growing since the deploy');
    await form.evaluate((f) => {
      (f as HTMLFormElement).requestSubmit();
      (f as HTMLFormElement).requestSubmit();
    });
    await panel.locator('.pw-ok').waitFor();
    expect(await panel.locator('.pw-ok').innerText()).toMatch(/succeeded|ran once/);
    expect(fake.confirms()).toBe(1);
    await page.locator('[data-testid=timeline] li[data-type=system_action]').waitFor();
    // Automation is switched per runbook, with a rationale.
    expect(await panel.innerText()).toContain('Automation on');
    await panel.getByRole('button', { name: 'Disable automatic steps' }).click();
    const toggle = panel.getByRole('form', { name: /Disable automatic steps/ });
    await toggle.getByLabel(/Rationale/).fill('the requeue loops while the provider is down');
    await toggle.getByRole('button', { name: 'Disable automatic steps' }).click();
    await until(async () => (await panel.innerText()).includes('Automation off'), 'automation off');
    await page.close();
  });
});
