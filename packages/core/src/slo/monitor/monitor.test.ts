import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { attach } from '../../attach.js';
import { publishHttpServerRequest } from '../../events/publish.js';
import { verifyStandardWebhook } from '../../http/standard-webhooks.js';
import { defineConfig, defineProvider } from '../model/define.js';
import { alertFingerprint } from '../alertmanager/fingerprint.js';
import { SloEvaluator } from './evaluator.js';
import { startSloMonitor } from './monitor.js';
import type { SloAlert } from './payload.js';
import type { MetricSample } from './series.js';
import { resolveConfig } from '../model/define.js';

const slice = {
  name: 'checkout_requests', description: 'Checkout requests', objective: 99.9, alert: 'page' as const, runbookUrl: 'https://runbooks.example.com/checkout',
  groupBy: ['route'],
  sli: {
    kind: 'event-ratio' as const,
    total: { metric: 'parapet_http_server_requests_total' },
    bad: { metric: 'parapet_http_server_requests_total', matchers: { status_class: '5xx' } },
  },
};
const config = defineConfig({ providers: [defineProvider('app', [slice])] });

function traffic() {
  const c = { ok: 0, failed: 0 };
  const read = (): MetricSample[] => [
    { name: 'parapet_http_server_requests_total', labels: { route: '/checkout', status_class: '2xx' }, value: c.ok },
    { name: 'parapet_http_server_requests_total', labels: { route: '/checkout', status_class: '5xx' }, value: c.failed },
  ];
  return { c, read };
}

describe('alertFingerprint (Alertmanager model.LabelSet.Fingerprint)', () => {
  it('is FNV-1a 64 over sorted names and values with 0xff separators, 16 hex digits', () => {
    expect(alertFingerprint({})).toBe('cbf29ce484222325');
    // Independent check: FNV-1a of the bytes "a\xffb\xff".
    let h = 0xcbf29ce484222325n;
    for (const b of [0x61, 0xff, 0x62, 0xff]) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
    expect(alertFingerprint({ a: 'b' })).toBe(h.toString(16).padStart(16, '0'));
    expect(alertFingerprint({ b: '2', a: '1' })).toBe(alertFingerprint({ a: '1', b: '2' }));
    expect(alertFingerprint({ a: '1', b: '2' })).not.toBe(alertFingerprint({ a: '2', b: '1' }));
    expect(alertFingerprint({ alertname: 'X' })).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('SloEvaluator', () => {
  it('one failed request never pages (minimum-evidence guard); five in the long window at a full outage do', () => {
    const { slices, windows } = resolveConfig(config);
    const ev = new SloEvaluator(slices, windows);
    const t = traffic();
    for (let m = 0; m <= 120; m++) {
      t.c.ok += 1;
      if (m === 60) t.c.failed += 1;
      ev.observe(m, t.read());
      expect(ev.evaluate(m)).toEqual([]);
    }
    let pagedAt: number | undefined;
    for (let m = 121; m <= 200 && pagedAt === undefined; m++) {
      t.c.failed += 1;
      ev.observe(m, t.read());
      if (ev.evaluate(m).some((a) => a.kind === 'page')) pagedAt = m;
    }
    expect(pagedAt).toBeDefined();
    expect(pagedAt! - 120).toBeLessThanOrEqual(10);
  });

  it('holds memory bounded by the window profile, not by traffic', () => {
    const { slices, windows } = resolveConfig(config);
    const ev = new SloEvaluator(slices, windows);
    const t = traffic();
    ev.observe(0, t.read());
    const bytes = ev.bytes;
    for (let m = 1; m < 5000; m++) {
      t.c.ok += 100_000;
      ev.observe(m, t.read());
    }
    expect(ev.bytes).toBe(bytes);
    expect(bytes).toBeLessThan(100 * 1024);
  });

  it('no data fires after noDataFor without any series, with the generated labels', () => {
    const { slices, windows } = resolveConfig(config);
    const ev = new SloEvaluator(slices, windows);
    for (let m = 0; m < 10; m++) {
      ev.observe(m, []);
      expect(ev.evaluate(m)).toEqual([]);
    }
    ev.observe(10, []);
    expect(ev.evaluate(10).map((a) => a.labels)).toEqual([{ alertname: 'CheckoutRequestsNoData', severity: 'ticket', slo: 'checkout_requests' }]);
  });
});

describe('startSloMonitor', () => {
  it('rejects a config without a delivery target or counter source, naming the option', () => {
    expect(() => startSloMonitor({ config, read: () => [] })).toThrow(/somewhere to deliver alerts/);
    expect(() => startSloMonitor({ config, onAlerts: () => {} })).toThrow(/exactly one counter source/);
    expect(() => startSloMonitor({ config, read: () => [], onAlerts: () => {}, webhook: { url: 'not a url', secret: 'whsec_x' } } as never)).toThrow(/webhook/);
  });

  it('pages once (edge-triggered), sends nothing more while the burn continues, resolves after recovery and the debounce', async () => {
    const t = traffic();
    const clock = { ms: Date.parse('2026-11-30T10:00:00Z') };
    const batches: SloAlert[][] = [];
    await using monitor = startSloMonitor({ config, read: t.read, now: () => clock.ms, onAlerts: (b) => void batches.push([...b]), tickMs: 3_600_000 });
    const run = async (n: number, ok: number, failed: number) => {
      for (let i = 0; i < n; i++) {
        clock.ms += 60_000;
        t.c.ok += ok;
        t.c.failed += failed;
        await monitor.evaluate();
      }
    };
    await run(30, 1000, 0);
    await run(10, 900, 100);
    const pages = () => batches.flat().filter((a) => a.labels.alertname === 'CheckoutRequestsBudgetBurnPage');
    expect(pages().map((a) => a.status)).toEqual(['firing']);
    expect(pages()[0]!.labels).toEqual({ alertname: 'CheckoutRequestsBudgetBurnPage', route: '/checkout', severity: 'page', slo: 'checkout_requests' });
    expect(pages()[0]!.annotations.runbook_url).toBe('https://runbooks.example.com/checkout');
    expect(pages()[0]!.annotations.summary).toContain('route=/checkout');
    expect(Number(pages()[0]!.annotations.burn_rate)).toBeGreaterThan(14.4);
    await run(40, 900, 100);
    expect(pages().map((a) => a.status)).toEqual(['firing']);
    await run(240, 1000, 0);
    expect(pages().map((a) => a.status)).toEqual(['firing', 'resolved']);
    expect(monitor.stateBytes).toBeGreaterThan(0);
  });

  it('reads the counters attach() records, and posts Standard-Webhooks-signed Alertmanager payloads', async () => {
    const received: { headers: Headers; body: Buffer }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: new Headers(req.headers as Record<string, string>), body: Buffer.concat(chunks) });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const registry = new Registry();
    await using parapet = attach({ registry });
    const secret = `whsec_${Buffer.from('monitor-test-secret-123').toString('base64')}`;
    const clock = { ms: Date.parse('2026-11-30T10:00:00Z') };
    try {
      await using monitor = startSloMonitor({ config, parapet, now: () => clock.ms, webhook: { url, secret }, tickMs: 3_600_000 });
      const request = (status: number) => publishHttpServerRequest({ method: 'POST', route: '/checkout', statusCode: status, durationSeconds: 0.01 } as never);
      for (let m = 0; m < 15; m++) {
        clock.ms += 60_000;
        for (let i = 0; i < 20; i++) request(i < 5 ? 500 : 200);
        await monitor.evaluate();
      }
      expect(received.length).toBeGreaterThan(0);
      const { headers, body } = received[0]!;
      expect(() => verifyStandardWebhook({ headers, body, secrets: [secret], toleranceSeconds: 3600, now: new Date(clock.ms) })).not.toThrow();
      const payload = JSON.parse(body.toString()) as { version: string; groupKey: string; alerts: SloAlert[] };
      expect(payload.version).toBe('4');
      const page = payload.alerts.find((a) => a.labels.alertname === 'CheckoutRequestsBudgetBurnPage') ?? received.flatMap((r) => (JSON.parse(r.body.toString()) as { alerts: SloAlert[] }).alerts).find((a) => a.labels.alertname === 'CheckoutRequestsBudgetBurnPage')!;
      expect(page.fingerprint).toBe(alertFingerprint(page.labels));
      expect(page.endsAt).toBe('0001-01-01T00:00:00Z');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
