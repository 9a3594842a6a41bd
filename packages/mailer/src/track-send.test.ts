import { type DeliveryOutboundEvent } from '@parapet/core';
import { subscribe } from '@parapet/core/integration';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trackSend } from './transport.js';

let events: DeliveryOutboundEvent[] = [];
let stop: () => void;
beforeEach(() => {
  events = [];
  stop = subscribe('delivery.outbound', (e) => void events.push(e));
});
afterEach(() => stop());
const outcomes = () => events.map((e) => [e.provider, e.outcome, e.faultPlane ?? 'none']);

describe('trackSend() with provider SDK result shapes', () => {
  it('Resend: { data: { id } } is accepted with the id in refs; { error } is a failure that does not throw', async () => {
    await trackSend(async () => ({ data: { id: 're_1' }, error: null }), { provider: 'resend' });
    const failed = await trackSend(async () => ({ data: null, error: { name: 'rate_limit_exceeded', statusCode: 429, message: 'slow down' } }), { provider: 'resend' });
    await trackSend(async () => ({ data: null, error: { name: 'validation_error', statusCode: 422, message: 'bad to' } }), { provider: 'resend' });
    expect(failed.error?.statusCode).toBe(429);
    expect(outcomes()).toEqual([
      ['resend', 'attempted', 'none'], ['resend', 'provider_accepted', 'none'],
      ['resend', 'attempted', 'none'], ['resend', 'failed', 'provider'],
      ['resend', 'attempted', 'none'], ['resend', 'failed', 'app'],
    ]);
    expect(events[1]!.refs).toEqual({ message_id: 're_1' });
  });

  it('Postmark: ErrorCode 0 is accepted, a thrown 500 a provider failure', async () => {
    await trackSend(async () => ({ MessageID: 'pm-1', ErrorCode: 0, Message: 'OK' }), { provider: 'postmark' });
    await expect(trackSend(async () => Promise.reject(Object.assign(new Error('down'), { statusCode: 500 })), { provider: 'postmark' })).rejects.toThrow('down');
    expect(outcomes()).toEqual([['postmark', 'attempted', 'none'], ['postmark', 'provider_accepted', 'none'], ['postmark', 'attempted', 'none'], ['postmark', 'failed', 'provider']]);
  });

  it('SES v2: MessageRejected is a bounce; a custom interpret overrides the defaults', async () => {
    await expect(trackSend(async () => Promise.reject(Object.assign(new Error('rejected'), { name: 'MessageRejected', $metadata: { httpStatusCode: 400 } })), { provider: 'ses' })).rejects.toThrow();
    await trackSend(async () => 'queued', { provider: 'custom', interpret: (r) => (r === 'queued' ? { ok: true } : { ok: false, error: new Error(r) }) });
    expect(outcomes()).toEqual([['ses', 'attempted', 'none'], ['ses', 'bounced', 'provider'], ['custom', 'attempted', 'none'], ['custom', 'provider_accepted', 'none']]);
  });

  it('validates options', async () => {
    await expect(trackSend(async () => 1, {} as never)).rejects.toThrow(/provider/);
  });
});
