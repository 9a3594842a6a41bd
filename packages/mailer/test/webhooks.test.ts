import { createSign, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  postmarkWebhook, resendWebhook, sendgridWebhook, sesWebhook, signStandardWebhook, snsStringToSign,
  SENDGRID_SIGNATURE_HEADER, SENDGRID_TIMESTAMP_HEADER, type DeliveryFeedback,
} from '../src/index.js';
import { attach } from '@parapet/core';
import { parseExposition } from '@parapet/vitest-preset/exposition';
import client from 'prom-client';
import { mailer } from '../src/index.js';
import { recordEvents } from './helpers.js';

const nowSeconds = () => Math.floor(Date.now() / 1000);
const HOUR = 3600;

let rec: ReturnType<typeof recordEvents<'delivery.provider_feedback' | 'delivery.webhook_ingest'>>;
let seen: DeliveryFeedback[];
beforeEach(() => {
  rec?.stop();
  rec = recordEvents('delivery.provider_feedback', 'delivery.webhook_ingest');
  seen = [];
});
const onEvent = (f: DeliveryFeedback) => void seen.push(f);
const feedback = () => rec.events['delivery.provider_feedback'];
const ingest = () => rec.events['delivery.webhook_ingest'];

/** Asserts a rejected request recorded nothing: no feedback, no ingest (so freshness does not move), no onEvent. */
function expectNothingRecorded() {
  expect(seen).toEqual([]);
  expect(feedback()).toEqual([]);
  expect(ingest()).toEqual([]);
}

// ── Resend (Standard Webhooks) ─────────────────────────────────────────────────────────────
describe('resendWebhook()', () => {
  const secret = `whsec_${Buffer.from('a-very-secret-signing-key-1234').toString('base64')}`;
  const handler = resendWebhook({ secret, onEvent });
  const bounced = (createdAt: string) =>
    JSON.stringify({
      type: 'email.bounced',
      created_at: createdAt,
      data: { email_id: 'em_123', to: ['bob@example.test'], bounce: { type: 'Permanent', subType: 'General', message: 'mailbox does not exist' } },
    });
  const request = (body: string, { id = 'msg_1', ts = nowSeconds(), sig }: { id?: string; ts?: number; sig?: string } = {}) =>
    new Request('http://app.test/webhooks/resend', {
      method: 'POST',
      body,
      headers: { 'svix-id': id, 'svix-timestamp': String(ts), 'svix-signature': sig ?? signStandardWebhook({ id, timestamp: ts, body, secret }) },
    });

  it('accepts a valid signature and normalizes a permanent bounce to a hard bounce, with the callback lag', async () => {
    const created = new Date(Date.now() - 90_000).toISOString();
    const res = await handler(request(bounced(created)));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 1, duplicates: 0, ignored: 0 });
    expect(seen).toMatchObject([{ provider: 'resend', kind: 'bounced', bounce: 'hard', eventId: 'msg_1', messageId: 'em_123', recipients: ['bob@example.test'] }]);
    expect(feedback()).toMatchObject([{ provider: 'resend', outcome: 'bounced', failureClass: 'hard_bounce', faultPlane: 'provider', refs: { event_id: 'msg_1', message_id: 'em_123' } }]);
    expect(ingest()[0]!.delaySeconds).toBeGreaterThanOrEqual(90);
  });

  it('refuses a tampered body with 401 and records nothing', async () => {
    const body = bounced(new Date().toISOString());
    const sig = signStandardWebhook({ id: 'msg_2', timestamp: nowSeconds(), body, secret });
    const res = await handler(request(body.replace('bob@', 'eve@'), { id: 'msg_2', sig }));
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('UNAUTHORIZED');
    expectNothingRecorded();
  });

  it('refuses a signature made with another secret', async () => {
    const body = bounced(new Date().toISOString());
    const other = `whsec_${Buffer.from('another-key').toString('base64')}`;
    const ts = nowSeconds();
    const res = await handler(request(body, { id: 'msg_3', ts, sig: signStandardWebhook({ id: 'msg_3', timestamp: ts, body, secret: other }) }));
    expect(res.status).toBe(401);
    expectNothingRecorded();
  });

  it('counts a replayed delivery once', async () => {
    const body = bounced(new Date().toISOString());
    const ts = nowSeconds();
    expect((await handler(request(body, { id: 'msg_4', ts }))).status).toBe(200);
    const again = await handler(request(body, { id: 'msg_4', ts }));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ received: 0, duplicates: 1, ignored: 0 });
    expect(seen).toHaveLength(1);
    expect(feedback()).toHaveLength(1);
  });

  it('refuses an expired (old) signed timestamp even with a valid signature', async () => {
    const res = await handler(request(bounced(new Date().toISOString()), { id: 'msg_5', ts: nowSeconds() - HOUR }));
    expect(res.status).toBe(401);
    expect((await res.json()).error.message).toMatch(/tolerance/);
    expectNothingRecorded();
  });

  it('answers 400 without the signature headers, 405 for GET, and ignores opens', async () => {
    const bare = await handler(new Request('http://app.test/x', { method: 'POST', body: '{}' }));
    expect(bare.status).toBe(400);
    expect((await handler(new Request('http://app.test/x'))).status).toBe(405);
    const opened = await handler(request(JSON.stringify({ type: 'email.opened', created_at: new Date().toISOString(), data: {} }), { id: 'msg_6' }));
    expect(await opened.json()).toEqual({ received: 0, duplicates: 0, ignored: 1 });
  });

  it('accepts any of several secrets during a rotation', async () => {
    const rotating = resendWebhook({ secret: [`whsec_${Buffer.from('old').toString('base64')}`, secret], onEvent });
    expect((await rotating(request(bounced(new Date().toISOString()), { id: 'msg_7' }))).status).toBe(200);
  });

  it('answers 503 and forgets the event when onEvent throws, so the retry is processed', async () => {
    let fail = true;
    const flaky = resendWebhook({ secret, onEvent: (f) => { if (fail) throw new Error('db down'); seen.push(f); } });
    const body = bounced(new Date().toISOString());
    const ts = nowSeconds();
    expect((await flaky(request(body, { id: 'msg_8', ts }))).status).toBe(503);
    expect(feedback()).toEqual([]);
    fail = false;
    expect((await flaky(request(body, { id: 'msg_8', ts }))).status).toBe(200);
    expect(seen).toHaveLength(1);
  });

  it('rejects unknown options', () => {
    expect(() => resendWebhook({ secrets: 'x' } as never)).toThrow(/unknown option "secrets"/);
  });

  it('counts refused requests by reason when mailer() is attached, and they never refresh callback freshness', async () => {
    const registry = new client.Registry();
    const parapet = attach({ registry, integrations: [mailer()] });
    try {
      const body = bounced(new Date().toISOString());
      await handler(request(body, { id: 'msg_9', sig: 'v1,AAAA' }));
      await handler(new Request('http://app.test/x', { method: 'POST', body: '{}' }));
      const text = await registry.metrics();
      const value = (reason: string) => parseExposition(text).find((x) => x.name === 'parapet_mailer_webhook_rejections_total' && x.labels.reason === reason && x.labels.provider === 'resend')?.value;
      expect(value('unauthorized')).toBe(1);
      expect(value('invalid_request')).toBe(1);
      expect(text).not.toContain('parapet_delivery_webhook_last_received_timestamp_seconds{');
    } finally {
      await parapet.close();
    }
  });
});

// ── SendGrid (ECDSA) ───────────────────────────────────────────────────────────────────────
describe('sendgridWebhook()', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const verificationKey = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  const handler = sendgridWebhook({ publicKey: verificationKey, onEvent });
  const events = (id: string, ts = nowSeconds()) =>
    JSON.stringify([
      { event: 'delivered', email: 'a@example.test', timestamp: ts - 30, sg_event_id: `${id}-d`, sg_message_id: 'sg.1' },
      { event: 'bounce', type: 'blocked', email: 'b@example.test', timestamp: ts - 30, sg_event_id: `${id}-b`, sg_message_id: 'sg.2', reason: '550 blocked' },
      { event: 'dropped', email: 'c@example.test', timestamp: ts - 30, sg_event_id: `${id}-s`, reason: 'Bounced Address' },
      { event: 'open', email: 'a@example.test', timestamp: ts - 30, sg_event_id: `${id}-o` },
    ]);
  const request = (body: string, ts = nowSeconds(), signed = body) =>
    new Request('http://app.test/webhooks/sendgrid', {
      method: 'POST',
      body,
      headers: {
        [SENDGRID_TIMESTAMP_HEADER]: String(ts),
        [SENDGRID_SIGNATURE_HEADER]: sign('sha256', Buffer.from(`${ts}${signed}`), privateKey).toString('base64'),
      },
    });

  it('verifies the ECDSA signature and normalizes a batch', async () => {
    const res = await handler(request(events('e1')));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 3, duplicates: 0, ignored: 1 });
    expect(seen.map((f) => [f.kind, f.bounce])).toEqual([['delivered', undefined], ['bounced', 'soft'], ['suppressed', undefined]]);
    expect(feedback().map((e) => [e.outcome, e.failureClass, e.faultPlane])).toEqual([
      ['delivered', undefined, 'none'], ['bounced', 'soft_bounce', 'provider'], ['suppressed', 'suppressed', 'suppression'],
    ]);
    expect(ingest().every((e) => (e.delaySeconds ?? 0) >= 30)).toBe(true);
  });

  it('refuses a tampered body with 401 and records nothing', async () => {
    const body = events('e2');
    const res = await handler(request(body.replace('"delivered"', '"spamreport"'), nowSeconds(), body));
    expect(res.status).toBe(401);
    expectNothingRecorded();
  });

  it('counts a replayed batch once', async () => {
    const body = events('e3');
    const ts = nowSeconds();
    await handler(request(body, ts));
    const again = await handler(request(body, ts));
    expect(await again.json()).toEqual({ received: 0, duplicates: 3, ignored: 1 });
    expect(feedback()).toHaveLength(3);
  });

  it('refuses an expired signed timestamp', async () => {
    const old = nowSeconds() - HOUR;
    const res = await handler(request(events('e4', old), old));
    expect(res.status).toBe(401);
    expectNothingRecorded();
  });

  it('refuses a key that is not a public key at construction', () => {
    expect(() => sendgridWebhook({ publicKey: 'bm90IGEga2V5' })).toThrow(/not an ECDSA public key/);
  });
});

// ── Postmark (basic auth) ──────────────────────────────────────────────────────────────────
describe('postmarkWebhook()', () => {
  const handler = postmarkWebhook({ username: 'postmark', password: 'correct-horse-battery', onEvent });
  const auth = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  const bounce = (id: number) =>
    JSON.stringify({ RecordType: 'Bounce', ID: id, Type: 'HardBounce', MessageID: 'pm-1', Email: 'x@example.test', BouncedAt: new Date(Date.now() - 5000).toISOString(), Description: 'unknown user' });
  const request = (body: string, authorization = auth('postmark', 'correct-horse-battery')) =>
    new Request('http://app.test/webhooks/postmark', { method: 'POST', body, headers: { authorization } });

  it('accepts the right credentials and normalizes a hard bounce', async () => {
    const res = await handler(request(bounce(1)));
    expect(res.status).toBe(200);
    expect(seen).toMatchObject([{ provider: 'postmark', kind: 'bounced', bounce: 'hard', eventId: 'Bounce:1', messageId: 'pm-1' }]);
    expect(feedback()).toMatchObject([{ outcome: 'bounced', failureClass: 'hard_bounce' }]);
  });

  it('refuses wrong or missing credentials with 401 and records nothing', async () => {
    const res = await handler(request(bounce(2), auth('postmark', 'wrong-password')));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
    expectNothingRecorded();
    expect((await handler(new Request('http://app.test/x', { method: 'POST', body: bounce(2) }))).status).toBe(401);
  });

  it('counts a replayed record once (Postmark signs nothing, so its record id is the replay guard)', async () => {
    await handler(request(bounce(3)));
    const again = await handler(request(bounce(3)));
    expect(await again.json()).toMatchObject({ duplicates: 1 });
    expect(feedback()).toHaveLength(1);
  });

  it('maps deliveries, transient bounces, complaints and suppressions', async () => {
    const at = new Date().toISOString();
    await handler(request(JSON.stringify({ RecordType: 'Delivery', MessageID: 'pm-2', Recipient: 'y@example.test', DeliveredAt: at })));
    await handler(request(JSON.stringify({ RecordType: 'Bounce', ID: 9, Type: 'Transient', MessageID: 'pm-3', Email: 'z@example.test', BouncedAt: at })));
    await handler(request(JSON.stringify({ RecordType: 'SpamComplaint', ID: 10, MessageID: 'pm-4', Email: 'z@example.test', BouncedAt: at })));
    await handler(request(JSON.stringify({ RecordType: 'SubscriptionChange', MessageID: 'pm-5', Recipient: 'z@example.test', SuppressSending: true, ChangedAt: at })));
    await handler(request(JSON.stringify({ RecordType: 'Open', MessageID: 'pm-6' })));
    expect(seen.map((f) => f.kind)).toEqual(['delivered', 'deferred', 'complained', 'suppressed']);
  });

  it('requires a password long enough to be a secret', () => {
    expect(() => postmarkWebhook({ username: 'u', password: 'short' })).toThrow(/password/);
  });
});

// ── Amazon SES via SNS (certificate-verified signatures) ──────────────────────────────────
describe('sesWebhook()', () => {
  const key = readFileSync(new URL('./fixtures/sns-test-key.pem', import.meta.url), 'utf8');
  const cert = readFileSync(new URL('./fixtures/sns-test-cert.pem', import.meta.url), 'utf8');
  const topic = 'arn:aws:sns:eu-west-1:123456789012:ses-events';
  let certServer: Server;
  let host: string;
  const confirmations: string[] = [];
  let certFetches = 0;

  beforeAll(async () => {
    certServer = createServer((req, res) => {
      if (req.url === '/cert.pem') {
        certFetches++;
        res.end(cert);
      } else if (req.url?.startsWith('/confirm')) {
        confirmations.push(req.url);
        res.end('<ConfirmSubscriptionResponse/>');
      } else res.writeHead(404).end();
    });
    await new Promise<void>((r) => certServer.listen(0, '127.0.0.1', r));
    host = `127.0.0.1:${(certServer.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => certServer.close(() => r())));

  const handler = () => sesWebhook({ topicArns: [topic], certificateHosts: [host], onEvent });
  const signed = (message: Record<string, unknown>, version: '1' | '2' = '2'): Record<string, unknown> => {
    const m = { SignatureVersion: version, SigningCertURL: `http://${host}/cert.pem`, ...message };
    const signer = createSign(version === '1' ? 'RSA-SHA1' : 'RSA-SHA256');
    signer.update(snsStringToSign(m));
    return { ...m, Signature: signer.sign(key, 'base64') };
  };
  const notification = (id: string, event: unknown, timestamp = new Date()) =>
    signed({ Type: 'Notification', MessageId: id, TopicArn: topic, Message: JSON.stringify(event), Timestamp: timestamp.toISOString() });
  const bounceEvent = {
    eventType: 'Bounce',
    mail: { messageId: 'ses-1', timestamp: new Date(Date.now() - 60_000).toISOString(), destination: ['d@example.test'] },
    bounce: { bounceType: 'Transient', bounceSubType: 'MailboxFull', bouncedRecipients: [{ emailAddress: 'd@example.test' }], timestamp: new Date(Date.now() - 20_000).toISOString() },
  };
  const post = (h: ReturnType<typeof handler>, body: unknown) =>
    h(new Request('http://app.test/webhooks/ses', { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'text/plain' } }));

  it('verifies the signature with the fetched certificate and normalizes a transient bounce (soft)', async () => {
    const h = handler();
    const res = await post(h, notification('sns-1', bounceEvent));
    expect(res.status).toBe(200);
    expect(seen).toMatchObject([{ provider: 'ses', kind: 'bounced', bounce: 'soft', eventId: 'sns-1', messageId: 'ses-1', recipients: ['d@example.test'] }]);
    expect(ingest()[0]!.delaySeconds).toBeGreaterThanOrEqual(20);
  });

  it('accepts SignatureVersion 1 (SHA1) and caches the certificate', async () => {
    const h = handler();
    const before = certFetches;
    await post(h, notification('sns-2', { ...bounceEvent, eventType: 'Delivery', delivery: { recipients: ['d@example.test'] } }));
    await post(h, signed({ Type: 'Notification', MessageId: 'sns-3', TopicArn: topic, Message: JSON.stringify({ ...bounceEvent, eventType: 'Complaint', complaint: {} }), Timestamp: new Date().toISOString() }, '1'));
    expect(seen.map((f) => f.kind)).toEqual(['delivered', 'complained']);
    expect(certFetches - before).toBe(1);
  });

  it('refuses a tampered message with 401 and records nothing', async () => {
    const message = notification('sns-4', bounceEvent);
    const res = await post(handler(), { ...message, Message: (message.Message as string).replace('Transient', 'Permanent') });
    expect(res.status).toBe(401);
    expectNothingRecorded();
  });

  it('counts a replayed message once', async () => {
    const h = handler();
    const message = notification('sns-5', bounceEvent);
    await post(h, message);
    expect(await (await post(h, message)).json()).toMatchObject({ duplicates: 1 });
    expect(feedback()).toHaveLength(1);
  });

  it('refuses an expired message', async () => {
    const res = await post(handler(), notification('sns-6', bounceEvent, new Date(Date.now() - 3 * HOUR * 1000)));
    expect(res.status).toBe(401);
    expectNothingRecorded();
  });

  it('refuses a certificate URL outside the allowlist without fetching it, and unknown topics', async () => {
    const before = certFetches;
    const forged = { ...notification('sns-7', bounceEvent), SigningCertURL: 'https://attacker.example/cert.pem' };
    expect((await post(handler(), forged)).status).toBe(401);
    expect(certFetches).toBe(before);
    const other = signed({ Type: 'Notification', MessageId: 'sns-8', TopicArn: 'arn:aws:sns:eu-west-1:123456789012:other', Message: '{}', Timestamp: new Date().toISOString() });
    expect((await post(handler(), other)).status).toBe(401);
  });

  it('confirms a verified subscription by visiting SubscribeURL', async () => {
    const confirm = signed({
      Type: 'SubscriptionConfirmation', MessageId: 'sns-9', TopicArn: topic, Token: 'tok', Message: 'confirm it',
      SubscribeURL: `http://${host}/confirm?Token=tok`, Timestamp: new Date().toISOString(),
    });
    const res = await post(handler(), confirm);
    expect(await res.json()).toEqual({ subscription: 'confirmed' });
    expect(confirmations).toContain('/confirm?Token=tok');
    expect(feedback()).toEqual([]);
  });

  it('does not confirm a subscription whose signature is wrong', async () => {
    const before = confirmations.length;
    const confirm = signed({
      Type: 'SubscriptionConfirmation', MessageId: 'sns-10', TopicArn: topic, Token: 'tok2', Message: 'confirm it',
      SubscribeURL: `http://${host}/confirm?Token=tok2`, Timestamp: new Date().toISOString(),
    });
    const res = await post(handler(), { ...confirm, SubscribeURL: `http://${host}/confirm?Token=evil` });
    expect(res.status).toBe(401);
    expect(confirmations.length).toBe(before);
  });

  it('requires topicArns', () => {
    expect(() => sesWebhook({} as never)).toThrow(/topicArns/);
  });
});
