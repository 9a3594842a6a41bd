import { createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import { ParapetError, parseOptions } from '@parapet/core/integration';
import * as z from 'zod';
import type { DeliveryFeedback, FeedbackKind } from '../vocabulary.js';
import { commonOptionShape, createWebhookHandler, obj, parseJson, str, toDate, type WebhookHandler, type WebhookHandlerOptions } from './handler.js';

export interface SendGridWebhookOptions extends WebhookHandlerOptions {
  /** The Event Webhook verification key: the base64 string from the SendGrid dashboard, or a PEM public key. */
  publicKey: string;
  /** Accepted distance between the signed timestamp and now, in seconds. Default 300. */
  toleranceSeconds?: number;
}

const schema = z.strictObject({
  ...commonOptionShape,
  publicKey: z.string().min(1),
  toleranceSeconds: z.number().positive().optional(),
});

export const SENDGRID_SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
export const SENDGRID_TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

function loadKey(publicKey: string): KeyObject {
  try {
    return publicKey.includes('BEGIN PUBLIC KEY')
      ? createPublicKey(publicKey)
      : createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new ParapetError('INVALID_OPTIONS', 'sendgridWebhook(): option "publicKey" is not an ECDSA public key. Copy the verification key from Settings > Mail Settings > Event Webhook.', { cause });
  }
}

/** SendGrid drop reasons that mean the address is on a suppression list. */
const SUPPRESSION_DROP = /bounced address|unsubscribed address|spam reporting address|suppress/i;

function kindOf(event: Record<string, unknown>): FeedbackKind | undefined {
  switch (event.event) {
    case 'processed':
      return 'accepted';
    case 'delivered':
      return 'delivered';
    case 'deferred':
      return 'deferred';
    case 'bounce':
      return 'bounced';
    case 'spamreport':
      return 'complained';
    case 'dropped':
      return SUPPRESSION_DROP.test(str(event.reason) ?? '') ? 'suppressed' : 'failed';
    default:
      return undefined;
  }
}

/** SendGrid Event Webhook (ECDSA P-256 signatures over timestamp + raw body), normalized. Engagement events are ignored. */
export function sendgridWebhook(options: SendGridWebhookOptions): WebhookHandler {
  const opts = parseOptions(schema, options, 'sendgridWebhook()');
  const key = loadKey(opts.publicKey);
  const tolerance = opts.toleranceSeconds ?? 300;
  return createWebhookHandler(
    {
      provider: 'sendgrid',
      verify(request, body, now) {
        const signature = request.headers.get(SENDGRID_SIGNATURE_HEADER);
        const timestamp = request.headers.get(SENDGRID_TIMESTAMP_HEADER);
        if (!signature || !timestamp) throw new ParapetError('INVALID_REQUEST', `Missing ${SENDGRID_SIGNATURE_HEADER} or ${SENDGRID_TIMESTAMP_HEADER}. Turn on Signed Event Webhook Requests in SendGrid.`);
        const ok = verifySignature('sha256', Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signature, 'base64'));
        if (!ok) throw new ParapetError('UNAUTHORIZED', 'The SendGrid webhook signature does not match the raw body. Check the verification key, and that no body parser ran before this handler.');
        const skew = Math.abs(now.getTime() / 1000 - Number(timestamp));
        if (!Number.isFinite(skew) || skew > tolerance) {
          throw new ParapetError('UNAUTHORIZED', `The SendGrid webhook timestamp is outside the tolerance of ${tolerance} s: an old replay, or a clock off.`);
        }
      },
      parse(body) {
        const payload = parseJson(body, 'sendgrid');
        if (!Array.isArray(payload)) throw new ParapetError('INVALID_REQUEST', 'The SendGrid webhook body is not a JSON array of events.');
        return payload.map((raw): DeliveryFeedback | null => {
          const event = obj(raw);
          const kind = kindOf(event);
          const eventId = str(event.sg_event_id);
          if (!kind || !eventId) return null;
          const feedback: DeliveryFeedback = {
            provider: 'sendgrid',
            kind,
            eventId,
            recipients: typeof event.email === 'string' ? [event.email] : [],
            providerType: String(event.event),
            raw: event,
          };
          const messageId = str(event.sg_message_id);
          if (messageId) feedback.messageId = messageId;
          const at = toDate(event.timestamp, 's');
          if (at) feedback.occurredAt = at;
          if (kind === 'bounced') feedback.bounce = event.type === 'blocked' ? 'soft' : 'hard';
          const reason = str(event.reason) ?? str(event.response);
          if (reason) feedback.reason = reason;
          return feedback;
        });
      },
    },
    opts as WebhookHandlerOptions,
  );
}
