import { parseOptions } from '@parapet/core/integration';
import * as z from 'zod';
import type { BounceType, DeliveryFeedback, FeedbackKind } from '../vocabulary.js';
import { commonOptionShape, createWebhookHandler, obj, parseJson, str, toDate, type WebhookHandler, type WebhookHandlerOptions } from './handler.js';
import { verifyStandardWebhook } from './standard-webhooks.js';

export interface ResendWebhookOptions extends WebhookHandlerOptions {
  /** The endpoint's signing secret (`whsec_...`), or several during a rotation. */
  secret: string | readonly string[];
  /** Accepted distance between the signed timestamp and now, in seconds. Default 300. */
  toleranceSeconds?: number;
}

const schema = z.strictObject({
  ...commonOptionShape,
  secret: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  toleranceSeconds: z.number().positive().optional(),
});

const KINDS: Record<string, FeedbackKind> = {
  'email.sent': 'accepted',
  'email.delivered': 'delivered',
  'email.delivery_delayed': 'deferred',
  'email.bounced': 'bounced',
  'email.complained': 'complained',
  'email.failed': 'failed',
  'email.suppressed': 'suppressed',
};

/** Resend webhooks (Standard Webhooks signatures), normalized. Opens, clicks, contact and domain events are acknowledged and ignored. */
export function resendWebhook(options: ResendWebhookOptions): WebhookHandler {
  const opts = parseOptions(schema, options, 'resendWebhook()');
  const secrets = typeof opts.secret === 'string' ? [opts.secret] : opts.secret;
  const tolerance = opts.toleranceSeconds ?? 300;
  return createWebhookHandler(
    {
      provider: 'resend',
      verify(request, body, now) {
        verifyStandardWebhook({ headers: request.headers, body, secrets, toleranceSeconds: tolerance, now });
      },
      parse(body, request) {
        const payload = obj(parseJson(body, 'resend'));
        const type = str(payload.type) ?? '';
        const kind = KINDS[type];
        if (!kind) return [null];
        const data = obj(payload.data);
        const id = request.headers.get('webhook-id') ?? request.headers.get('svix-id')!;
        const feedback: DeliveryFeedback = {
          provider: 'resend',
          kind,
          eventId: id,
          recipients: Array.isArray(data.to) ? data.to.filter((t): t is string => typeof t === 'string') : [],
          providerType: type,
          raw: payload,
        };
        const messageId = str(data.email_id);
        if (messageId) feedback.messageId = messageId;
        const at = toDate(payload.created_at);
        if (at) feedback.occurredAt = at;
        if (kind === 'bounced') {
          const bounce = obj(data.bounce);
          feedback.bounce = bounceType(str(bounce.type));
          const reason = str(bounce.message);
          if (reason) feedback.reason = reason;
        } else if (kind === 'failed') {
          const reason = str(obj(data.failed).reason);
          if (reason) feedback.reason = reason;
        } else if (kind === 'suppressed') {
          const reason = str(obj(data.suppressed).message);
          if (reason) feedback.reason = reason;
        }
        return [feedback];
      },
    },
    opts as WebhookHandlerOptions,
  );
}

function bounceType(type: string | undefined): BounceType {
  return type?.toLowerCase() === 'permanent' ? 'hard' : 'soft';
}
