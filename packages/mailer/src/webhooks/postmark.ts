import { timingSafeEqual, createHash } from 'node:crypto';
import { ParapetError, parseOptions } from '@parapet/core/integration';
import * as z from 'zod';
import type { BounceType, DeliveryFeedback, FeedbackKind } from '../vocabulary.js';
import { commonOptionShape, createWebhookHandler, obj, parseJson, str, toDate, type WebhookHandler, type WebhookHandlerOptions } from './handler.js';

export interface PostmarkWebhookOptions extends WebhookHandlerOptions {
  /**
   * HTTP basic-auth credentials. Postmark does not sign webhooks: put them in the webhook URL
   * (`https://user:pass@host/path`) and serve it over HTTPS only.
   */
  username: string;
  password: string;
}

const schema = z.strictObject({
  ...commonOptionShape,
  username: z.string().min(1),
  password: z.string().min(8, 'at least 8 characters (it is the only thing authenticating Postmark)'),
});

/** Bounce types that will fail again for the same address. */
const HARD = new Set(['HardBounce', 'BadEmailAddress', 'ManuallyDeactivated', 'Unsubscribe', 'AddressChange', 'SpamNotification', 'DMARCPolicy', 'InboundError', 'ContentRelay', 'VirusNotification']);

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

function kindOf(record: Record<string, unknown>): { kind: FeedbackKind; bounce?: BounceType } | undefined {
  switch (record.RecordType) {
    case 'Delivery':
      return { kind: 'delivered' };
    case 'Bounce': {
      const type = str(record.Type) ?? '';
      if (type === 'Transient' || type === 'DnsError') return { kind: 'deferred' };
      if (type === 'SpamComplaint') return { kind: 'complained' };
      return { kind: 'bounced', bounce: HARD.has(type) ? 'hard' : 'soft' };
    }
    case 'SpamComplaint':
      return { kind: 'complained' };
    case 'SubscriptionChange':
      return record.SuppressSending === true ? { kind: 'suppressed' } : undefined;
    default:
      return undefined;
  }
}

/** Postmark webhooks (HTTP basic auth), normalized. Opens, clicks and re-activations are ignored. */
export function postmarkWebhook(options: PostmarkWebhookOptions): WebhookHandler {
  const opts = parseOptions(schema, options, 'postmarkWebhook()');
  const expected = digest(`${opts.username}:${opts.password}`);
  return createWebhookHandler(
    {
      provider: 'postmark',
      verify(request) {
        const header = request.headers.get('authorization') ?? '';
        const match = /^Basic\s+(.+)$/i.exec(header);
        if (!match) throw new ParapetError('UNAUTHORIZED', 'The Postmark webhook needs HTTP basic auth: put the credentials in the webhook URL (https://user:pass@host/path).');
        // Compare digests so the comparison is constant-time whatever the lengths.
        if (!timingSafeEqual(digest(Buffer.from(match[1]!, 'base64').toString('utf8')), expected)) {
          throw new ParapetError('UNAUTHORIZED', 'The Postmark webhook credentials are wrong.');
        }
      },
      parse(body) {
        const record = obj(parseJson(body, 'postmark'));
        const k = kindOf(record);
        if (!k) return [null];
        const messageId = str(record.MessageID);
        const recipient = str(record.Recipient) ?? str(record.Email);
        // Bounces and complaints carry their own record ID; deliveries and subscription changes do not.
        const eventId = `${String(record.RecordType)}:${str(record.ID) ?? `${messageId ?? ''}:${recipient ?? ''}:${str(record.ChangedAt) ?? ''}`}`;
        const feedback: DeliveryFeedback = {
          provider: 'postmark',
          kind: k.kind,
          eventId,
          recipients: recipient ? [recipient] : [],
          providerType: record.RecordType === 'Bounce' ? `Bounce.${str(record.Type) ?? ''}` : String(record.RecordType),
          raw: record,
        };
        if (k.bounce) feedback.bounce = k.bounce;
        if (messageId) feedback.messageId = messageId;
        const at = toDate(record.DeliveredAt ?? record.BouncedAt ?? record.ChangedAt ?? record.ReceivedAt);
        if (at) feedback.occurredAt = at;
        const reason = str(record.Description) ?? str(record.Details) ?? str(record.SuppressionReason);
        if (reason) feedback.reason = reason;
        return [feedback];
      },
    },
    opts as WebhookHandlerOptions,
  );
}
