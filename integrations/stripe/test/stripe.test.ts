import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { attach, type AsyncCallbackEvent, type JourneyStepEvent } from '@parapet/core';
import { subscribe } from '@parapet/core/integration';
import { parseExposition } from '@parapet/vitest-preset/exposition';
import client from 'prom-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parapetStripe, stripePathTemplate } from '../src/index.js';

/**
 * A local HTTP server playing Stripe's API. Behaviour by path: `cus_flaky*` fails once with 500
 * then succeeds; `cus_down` always 503; `cus_limited` 429; `cus_drop` drops the connection;
 * PaymentIntents for amount 13 decline (402); Checkout Sessions with `metadata[fail]` answer 500.
 */
let api: Server;
let port: number;
const hits = new Map<string, number>();

beforeAll(async () => {
  api = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const path = req.url!.split('?')[0]!;
      const n = (hits.get(path) ?? 0) + 1;
      hits.set(path, n);
      const json = (status: number, payload: unknown) => {
        // Like Stripe, echo the Idempotency-Key (except on /v1/customers, to exercise the fallback pairing).
        const key = req.headers['idempotency-key'];
        const echo = typeof key === 'string' && !path.startsWith('/v1/customers') ? { 'idempotency-key': key } : {};
        res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${n}`, ...echo }).end(JSON.stringify(payload));
      };
      const error = (status: number, type: string, code?: string) => json(status, { error: { type, code, message: `${type} (${status})` } });
      if (path.includes('cus_drop1')) return req.socket.destroy();
      if (path.includes('cus_down1')) return error(503, 'api_error');
      if (path.includes('cus_limited1')) return error(429, 'rate_limit_error');
      if (path.includes('cus_flaky') && n === 1) return error(500, 'api_error');
      if (path.startsWith('/v1/customers/')) return json(200, { id: path.split('/')[3], object: 'customer' });
      if (path === '/v1/payment_intents') {
        if (new URLSearchParams(body).get('amount') === '13') return error(402, 'card_error', 'card_declined');
        return json(200, { id: 'pi_123ABC', object: 'payment_intent' });
      }
      if (path === '/v1/checkout/sessions') {
        if (new URLSearchParams(body).get('metadata[fail]')) return error(500, 'api_error');
        return json(200, { id: 'cs_test_a1B2c3', object: 'checkout.session', url: 'https://checkout.example/c/pay' });
      }
      error(404, 'invalid_request_error', 'resource_missing');
    });
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  port = (api.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => api.close(() => r())));

const makeClient = (extra: Record<string, unknown> = {}) =>
  new Stripe('sk_test_parapet', { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 1, timeout: 2000, ...extra } as never);

const journeys: JourneyStepEvent[] = [];
const callbacks: AsyncCallbackEvent[] = [];
const stops: Array<() => void> = [];
beforeAll(() => {
  stops.push(subscribe('journey.step', (e) => void journeys.push(e)), subscribe('async.callback', (e) => void callbacks.push(e)));
});
afterAll(() => stops.forEach((s) => s()));
beforeEach(() => {
  journeys.length = 0;
  callbacks.length = 0;
});

async function samples(registry: client.Registry, name: string) {
  return parseExposition(await registry.metrics()).filter((s) => s.name === name);
}
const value = (list: Awaited<ReturnType<typeof samples>>, labels: Record<string, string>) =>
  list.filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);

describe('stripePathTemplate()', () => {
  it.each([
    ['/v1/customers/cus_NffrFeUfNV2Hib', '/v1/customers/:id'],
    ['/v1/payment_intents/pi_3Mt/confirm', '/v1/payment_intents/:id/confirm'],
    ['/v1/checkout/sessions/cs_test_a1b2/line_items?limit=3', '/v1/checkout/sessions/:id/line_items'],
    ['/v1/customers/search', '/v1/customers/search'],
    ['/v2/core/events/evt_123', '/v2/core/events/:id'],
    [undefined, '_unknown'],
  ])('%s → %s', (path, template) => expect(stripePathTemplate(path)).toBe(template));
});

describe('the Stripe client against a local Stripe API', () => {
  let stripe: Stripe;
  const registry = new client.Registry();
  let parapet: ReturnType<typeof attach>;
  beforeAll(() => {
    stripe = makeClient();
    parapet = attach({ registry, integrations: [parapetStripe({ client: stripe })] });
  });
  afterAll(() => parapet.close());

  it('a successful call is ok, by endpoint template (no object id in any label)', async () => {
    await stripe.customers.retrieve('cus_Ok12345');
    const s = await samples(registry, 'parapet_stripe_api_requests_total');
    expect(value(s, { endpoint: '/v1/customers/:id', method: 'GET', outcome: 'ok' })).toBe(1);
    expect(await registry.metrics()).not.toContain('cus_Ok12345');
  });

  it('a 500 then success: one call, ok, one retry counted', async () => {
    await stripe.customers.update('cus_flaky1', { name: 'x' });
    const s = await samples(registry, 'parapet_stripe_api_requests_total');
    expect(value(s, { endpoint: '/v1/customers/:id', method: 'POST', outcome: 'ok' })).toBe(1);
    expect(value(s, { method: 'POST', outcome: 'server_error' })).toBe(0);
    expect(value(await samples(registry, 'parapet_stripe_api_retries_total'), { endpoint: '/v1/customers/:id', method: 'POST' })).toBe(1);
  });

  it('a retried GET (no idempotency key) is still one call', async () => {
    await stripe.customers.retrieve('cus_flaky2');
    const s = await samples(registry, 'parapet_stripe_api_requests_total');
    expect(value(s, { endpoint: '/v1/customers/:id', method: 'GET', outcome: 'ok' })).toBe(2);
    expect(value(await samples(registry, 'parapet_stripe_api_retries_total'), { method: 'GET' })).toBe(1);
  });

  it('503 on every attempt is one server_error after the retries; 429 is rate_limited', async () => {
    await expect(stripe.customers.retrieve('cus_down1')).rejects.toMatchObject({ statusCode: 503 });
    await expect(stripe.customers.retrieve('cus_limited1')).rejects.toMatchObject({ statusCode: 429 });
    const s = await samples(registry, 'parapet_stripe_api_requests_total');
    expect(value(s, { method: 'GET', outcome: 'server_error' })).toBe(1);
    expect(value(s, { method: 'GET', outcome: 'rate_limited' })).toBe(1);
  });

  it('checkout start: a created session is a success, a Stripe 500 a failure, a card decline neither', async () => {
    await stripe.checkout.sessions.create({ mode: 'payment', success_url: 'https://app.example/ok' });
    await expect(stripe.checkout.sessions.create({ mode: 'payment', success_url: 'https://app.example/ok', metadata: { fail: '1' } })).rejects.toThrow();
    await expect(stripe.paymentIntents.create({ amount: 13, currency: 'eur' })).rejects.toMatchObject({ type: 'StripeCardError' });
    expect(journeys.map((j) => [j.journey, j.step, j.outcome, j.reason])).toEqual([
      ['checkout', 'start', 'success', undefined],
      ['checkout', 'start', 'failure', 'server_error'],
    ]);
    const s = await samples(registry, 'parapet_stripe_api_requests_total');
    expect(value(s, { endpoint: '/v1/payment_intents', outcome: 'declined' })).toBe(1);
  });

  it('rejects options that are not a Stripe client, or unknown ones', () => {
    expect(() => parapetStripe({ client: {} as never })).toThrow(/Stripe client/);
    expect(() => parapetStripe({ client: stripe, checkoutEndpoint: [] } as never)).toThrow(/did you mean "checkoutEndpoints"/);
  });
});

describe('dropped connections', () => {
  it('a call whose every attempt was dropped is one no_response, with its retry counted', async () => {
    const stripe = makeClient();
    const registry = new client.Registry();
    // Deadline above Stripe's first retry backoff (500 ms), so only a call that is really over expires.
    const parapet = attach({ registry, integrations: [parapetStripe({ client: stripe, responseDeadlineMs: 3000 })] });
    try {
      await expect(stripe.customers.retrieve('cus_drop1')).rejects.toMatchObject({ type: 'StripeConnectionError' });
      const deadline = Date.now() + 15_000;
      let s = await samples(registry, 'parapet_stripe_api_requests_total');
      while (value(s, { outcome: 'no_response' }) === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        s = await samples(registry, 'parapet_stripe_api_requests_total');
      }
      expect(value(s, { endpoint: '/v1/customers/:id', method: 'GET', outcome: 'no_response' })).toBe(1);
      expect(value(s, { outcome: 'ok' })).toBe(0);
      expect(value(await samples(registry, 'parapet_stripe_api_retries_total'), { method: 'GET' })).toBe(1);
    } finally {
      await parapet.close();
    }
  });
});

describe('webhooks signed with Stripe\'s own test header', () => {
  const stripe = makeClient();
  const secret = 'whsec_parapet_test_secret';
  const registry = new client.Registry();
  const signals = parapetStripe({ client: stripe });
  let parapet: ReturnType<typeof attach>;
  let failNext = false;
  const handled: string[] = [];
  const handler = signals.webhook({
    secret,
    onEvent: (event) => {
      if (failNext) {
        failNext = false;
        throw new Error('fulfilment database down');
      }
      handled.push(event.id);
    },
  });
  beforeAll(() => {
    parapet = attach({ registry, integrations: [signals] });
  });
  afterAll(() => parapet.close());

  const event = (id: string, type: string, object: Record<string, unknown>, createdAgo = 30) =>
    JSON.stringify({ id, object: 'event', type, created: Math.floor(Date.now() / 1000) - createdAgo, data: { object } });
  const post = (payload: string, header = stripe.webhooks.generateTestHeaderString({ payload, secret }), body = payload) =>
    handler(new Request('https://app.example/webhooks/stripe', { method: 'POST', body, headers: { 'stripe-signature': header } }));
  const webhookCount = async (outcome: string, reason?: string) =>
    value(await samples(registry, 'parapet_stripe_webhooks_total'), { outcome, ...(reason && { reason }) });

  it('a paid checkout.session.completed is handled: fulfilment success, callback with its lag', async () => {
    const res = await post(event('evt_paid1', 'checkout.session.completed', { id: 'cs_1', payment_status: 'paid' }));
    expect(res.status).toBe(200);
    expect(handled).toEqual(['evt_paid1']);
    expect(journeys.map((j) => [j.step, j.outcome])).toEqual([['fulfilment', 'success']]);
    expect(callbacks).toMatchObject([{ integration: 'stripe', queue: 'webhooks', stage: 'checkout', outcome: 'succeeded' }]);
    expect(callbacks[0]!.delaySeconds).toBeGreaterThanOrEqual(30);
    expect(await webhookCount('processed')).toBe(1);
  });

  it('a tampered body is refused with 400, counted as a signature failure, and nothing else is recorded', async () => {
    const payload = event('evt_t1', 'checkout.session.completed', { id: 'cs_2', payment_status: 'paid' });
    const res = await post(payload, undefined, payload.replace('cs_2', 'cs_9'));
    expect(res.status).toBe(400);
    expect((await res.json()).error.details.reason).toBe('no_match');
    expect(handled).not.toContain('evt_t1');
    expect(journeys).toEqual([]);
    expect(callbacks).toEqual([]);
    expect(await webhookCount('signature_invalid', 'no_match')).toBe(1);
  });

  it('an expired signature (old timestamp) is refused as timestamp', async () => {
    const payload = event('evt_old', 'checkout.session.completed', { id: 'cs_3', payment_status: 'paid' });
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: Math.floor(Date.now() / 1000) - 3600 });
    expect((await post(payload, header)).status).toBe(400);
    expect(await webhookCount('signature_invalid', 'timestamp')).toBe(1);
    expect(journeys).toEqual([]);
  });

  it('a missing header and a wrong secret are signature failures too', async () => {
    const payload = event('evt_x', 'invoice.paid', {});
    expect((await handler(new Request('https://app.example/w', { method: 'POST', body: payload }))).status).toBe(400);
    expect((await post(payload, stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_other' }))).status).toBe(400);
    expect(await webhookCount('signature_invalid', 'no_header')).toBe(1);
    expect(await webhookCount('signature_invalid', 'no_match')).toBe(2);
  });

  it('a replayed event is handled once', async () => {
    const payload = event('evt_r1', 'invoice.paid', {});
    await post(payload);
    const again = await post(payload);
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    expect(handled.filter((id) => id === 'evt_r1')).toHaveLength(1);
    expect(await webhookCount('duplicate')).toBe(1);
  });

  it('a handler error answers 503 (Stripe retries), is a fulfilment failure, and the retry is processed', async () => {
    failNext = true;
    const payload = event('evt_f1', 'checkout.session.async_payment_succeeded', { id: 'cs_4', payment_status: 'paid' });
    expect((await post(payload)).status).toBe(503);
    expect((await post(payload)).status).toBe(200);
    expect(journeys.map((j) => [j.step, j.outcome, j.reason])).toEqual([['fulfilment', 'failure', 'handler_error'], ['fulfilment', 'success', undefined]]);
    expect(callbacks.map((c) => c.outcome)).toEqual(['retryable_failed', 'succeeded']);
    expect(await webhookCount('handler_error')).toBe(1);
  });

  it('expired sessions, failed async payments and unpaid completions are not reliability failures', async () => {
    await post(event('evt_e1', 'checkout.session.expired', { id: 'cs_5', status: 'expired' }));
    await post(event('evt_e2', 'checkout.session.async_payment_failed', { id: 'cs_6' }));
    await post(event('evt_e3', 'checkout.session.completed', { id: 'cs_7', payment_status: 'unpaid' }));
    expect(journeys).toEqual([]);
    expect(callbacks.map((c) => c.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  it('validates the secret', () => {
    expect(() => signals.webhook({ secret: 'sk_live_oops' })).toThrow(/whsec_/);
  });
});
