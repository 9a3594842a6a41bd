import type { AddressInfo, Socket } from 'node:net';
import nodemailer from 'nodemailer';
import { attach } from '@parapet/core';
import { parseExposition } from '@parapet/vitest-preset/exposition';
import client from 'prom-client';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { instrumentTransport, mailer } from '../src/index.js';
import { recordEvents } from './helpers.js';

/**
 * A local SMTP server that accepts most recipients, permanently rejects `reject@`, transiently
 * rejects `busy@` and drops the connection on `drop@`.
 */
let server: SMTPServer;
let port: number;
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, session, callback) {
      const user = address.address.split('@')[0];
      if (user === 'reject') return callback(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }));
      if (user === 'busy') return callback(Object.assign(new Error('4.2.1 Mailbox busy, try later'), { responseCode: 451 }));
      if (user === 'drop') {
        for (const s of sockets) if (s.remotePort === session.remotePort) s.destroy();
        return;
      }
      callback();
    },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => callback());
    },
  });
  (server as unknown as { server: import('node:net').Server }).server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = ((server as unknown as { server: import('node:net').Server }).server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const transport = () =>
  instrumentTransport(nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 5000, socketTimeout: 5000 }), { provider: 'smtp' });

const mail = (...to: string[]) => ({ from: 'app@example.test', to, subject: 'hi', text: 'hello' });

let rec: ReturnType<typeof recordEvents<'delivery.outbound'>>;
beforeEach(() => {
  rec?.stop();
  rec = recordEvents('delivery.outbound');
});

const outcomes = () => rec.events['delivery.outbound'].map((e) => [e.outcome, e.faultPlane ?? 'none']);

describe('instrumentTransport() against a real SMTP server', () => {
  it('counts the attempt before the send and provider_accepted after, with the message id in refs only', async () => {
    const info = await transport().sendMail(mail('alice@example.test'));
    expect(info.accepted).toEqual(['alice@example.test']);
    expect(outcomes()).toEqual([['attempted', 'none'], ['provider_accepted', 'none']]);
    const [attempt, accepted] = rec.events['delivery.outbound'];
    expect(attempt).toMatchObject({ integration: 'mailer', provider: 'smtp', channel: 'email' });
    expect(accepted!.refs?.message_id).toBe(info.messageId);
    expect(accepted!.durationSeconds).toBeGreaterThanOrEqual(0);
  });

  it('a permanently refused recipient is a bounce, not a provider failure, and the error still reaches the caller', async () => {
    await expect(transport().sendMail(mail('reject@example.test'))).rejects.toMatchObject({ code: 'EENVELOPE', responseCode: 550 });
    expect(outcomes()).toEqual([['attempted', 'none'], ['bounced', 'provider']]);
  });

  it('a transient 4xx refusal is a failed send on the provider plane', async () => {
    await expect(transport().sendMail(mail('busy@example.test'))).rejects.toMatchObject({ responseCode: 451 });
    expect(outcomes()).toEqual([['attempted', 'none'], ['failed', 'provider']]);
  });

  it('a dropped connection is a failed send that was still counted as an attempt', async () => {
    await expect(transport().sendMail(mail('drop@example.test'))).rejects.toThrow();
    expect(outcomes()).toEqual([['attempted', 'none'], ['failed', 'provider']]);
  });

  it('a partly refused send is accepted (the message went out)', async () => {
    const info = await transport().sendMail(mail('alice@example.test', 'reject@example.test'));
    expect(info.rejected).toEqual(['reject@example.test']);
    expect(outcomes()).toEqual([['attempted', 'none'], ['provider_accepted', 'none']]);
  });

  it('a transport that throws before sending still counts the attempt, as an app-side failure', async () => {
    const broken = instrumentTransport({ sendMail: (_mail: unknown) => Promise.reject(Object.assign(new Error('bad config'), { code: 'ECONFIG' })) });
    await expect(broken.sendMail({})).rejects.toThrow('bad config');
    expect(outcomes()).toEqual([['attempted', 'none'], ['failed', 'app']]);
  });

  it('forwards everything else to the transporter and leaves it unmodified', () => {
    const raw = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true });
    const original = raw.sendMail;
    const wrapped = instrumentTransport(raw);
    expect(raw.sendMail).toBe(original);
    expect(wrapped.options).toBe(raw.options);
    expect(typeof wrapped.close).toBe('function');
    expect(wrapped.sendMail).not.toBe(original);
  });

  it('validates options with a did-you-mean', () => {
    expect(() => instrumentTransport(transport(), { provder: 'ses' } as never)).toThrow(/unknown option "provder" \(did you mean "provider"\?\)/);
    expect(() => instrumentTransport(transport(), { provider: 'Amazon SES' })).toThrow(/provider/);
  });

  it('records bounded series through attach(): no address or message id in any label', async () => {
    const registry = new client.Registry();
    const parapet = attach({ registry, integrations: [mailer()] });
    try {
      await transport().sendMail(mail('alice@example.test'));
      await expect(transport().sendMail(mail('reject@example.test'))).rejects.toThrow();
      const text = await registry.metrics();
      const samples = parseExposition(text).filter((s) => s.name === 'parapet_delivery_outbound_total');
      const value = (outcome: string) => samples.find((s) => s.labels.outcome === outcome && s.labels.provider === 'smtp')?.value;
      expect(value('attempted')).toBe(2);
      expect(value('provider_accepted')).toBe(1);
      expect(value('bounced')).toBe(1);
      expect(value('failed')).toBe(0);
      expect(text).not.toMatch(/example\.test/);
    } finally {
      await parapet.close();
    }
  });
});
