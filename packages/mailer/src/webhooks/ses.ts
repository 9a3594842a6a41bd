import { X509Certificate, createVerify } from 'node:crypto';
import { ParapetError, parseOptions } from '@parapet/core/integration';
import * as z from 'zod';
import type { BounceType, DeliveryFeedback, FeedbackKind } from '../vocabulary.js';
import { commonOptionShape, createWebhookHandler, obj, parseJson, str, toDate, type WebhookHandler, type WebhookHandlerOptions } from './handler.js';

export interface SesWebhookOptions extends WebhookHandlerOptions {
  /** The SNS topic ARNs this endpoint accepts. Messages from any other topic are refused. */
  topicArns: readonly string[];
  /**
   * Hosts the signing certificate (`SigningCertURL`) and `SubscribeURL` may come from. Default:
   * SNS's own hosts (`sns.<region>.amazonaws.com`, `.amazonaws.com.cn`). Entries are exact host
   * names (`host:port` allowed) or regular expressions. Plain `http:` is accepted only for
   * loopback hosts listed here (tests).
   */
  certificateHosts?: readonly (string | RegExp)[];
  /** Confirm `SubscriptionConfirmation` messages by fetching their `SubscribeURL`. Default true. */
  confirmSubscriptions?: boolean;
  /** Oldest accepted SNS `Timestamp`, in seconds. Default 3600 (SNS retries for up to an hour). */
  toleranceSeconds?: number;
  /** Fetch used for certificates and subscription confirmation. Default: the global fetch. */
  fetch?: typeof fetch;
}

const schema = z.strictObject({
  ...commonOptionShape,
  topicArns: z.array(z.string().regex(/^arn:[a-z-]+:sns:[a-z0-9-]+:\d{12}:[\w-]+$/, 'an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)')).min(1),
  certificateHosts: z.array(z.union([z.string().min(1), z.instanceof(RegExp)])).min(1).optional(),
  confirmSubscriptions: z.boolean().optional(),
  toleranceSeconds: z.number().positive().optional(),
  fetch: z.function().optional(),
});

const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/;

/** The fields SNS signs, in order, per message type. */
const SIGNED_FIELDS: Record<string, readonly string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

/** The canonical string SNS signs for a message. */
export function snsStringToSign(message: Record<string, unknown>): string {
  const fields = SIGNED_FIELDS[String(message.Type)];
  if (!fields) throw new ParapetError('INVALID_REQUEST', `Unknown SNS message Type "${String(message.Type)}".`);
  let out = '';
  for (const field of fields) {
    const value = message[field];
    if (value === undefined || value === null) {
      if (field === 'Subject') continue;
      throw new ParapetError('INVALID_REQUEST', `The SNS message has no "${field}".`);
    }
    out += `${field}\n${String(value)}\n`;
  }
  return out;
}

const KINDS: Record<string, FeedbackKind> = {
  Send: 'accepted',
  Delivery: 'delivered',
  DeliveryDelay: 'deferred',
  Bounce: 'bounced',
  Complaint: 'complained',
  Reject: 'failed',
  'Rendering Failure': 'failed',
};

/** Amazon SES notifications through SNS: certificate-verified signatures, subscription confirmation, normalized events. */
export function sesWebhook(options: SesWebhookOptions): WebhookHandler {
  const opts = parseOptions(schema, options, 'sesWebhook()');
  const hosts = opts.certificateHosts ?? [SNS_HOST];
  const topics = new Set(opts.topicArns);
  const tolerance = opts.toleranceSeconds ?? 3600;
  const doFetch = (opts.fetch as typeof fetch | undefined) ?? fetch;
  const confirm = opts.confirmSubscriptions ?? true;
  const certs = new Map<string, Promise<X509Certificate>>();

  const allowedUrl = (raw: unknown, what: string): URL => {
    let url: URL;
    try {
      url = new URL(String(raw));
    } catch {
      throw new ParapetError('INVALID_REQUEST', `The SNS ${what} is not a URL.`);
    }
    const hostAllowed = hosts.some((h) => (typeof h === 'string' ? h === url.host || h === url.hostname : h.test(url.hostname)));
    const protocolAllowed = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.host) && hostAllowed);
    if (!hostAllowed || !protocolAllowed) {
      throw new ParapetError('UNAUTHORIZED', `The SNS ${what} ${url.origin} is not an allowed SNS host; refusing it (option certificateHosts).`);
    }
    return url;
  };

  const certificate = (url: URL): Promise<X509Certificate> => {
    let pending = certs.get(url.href);
    if (!pending) {
      pending = (async () => {
        const res = await doFetch(url, { redirect: 'error' });
        if (!res.ok) throw new ParapetError('UNAVAILABLE', `Fetching the SNS signing certificate answered ${res.status}.`);
        const cert = new X509Certificate(await res.text());
        return cert;
      })();
      pending.catch(() => certs.delete(url.href));
      if (certs.size >= 32) certs.delete(certs.keys().next().value as string);
      certs.set(url.href, pending);
    }
    return pending;
  };

  return createWebhookHandler(
    {
      provider: 'ses',
      async verify(_request, body, now) {
        const message = obj(parseJson(body, 'ses'));
        const topic = str(message.TopicArn);
        if (!topic || !topics.has(topic)) throw new ParapetError('UNAUTHORIZED', `SNS topic ${topic ?? '(none)'} is not one of this endpoint's topicArns.`);
        const version = str(message.SignatureVersion);
        if (version !== '1' && version !== '2') throw new ParapetError('INVALID_REQUEST', `Unsupported SNS SignatureVersion "${version ?? ''}".`);
        const signature = str(message.Signature);
        if (!signature) throw new ParapetError('INVALID_REQUEST', 'The SNS message has no Signature.');
        const cert = await certificate(allowedUrl(message.SigningCertURL, 'SigningCertURL'));
        if (new Date(cert.validFrom) > now || new Date(cert.validTo) < now) {
          throw new ParapetError('UNAUTHORIZED', 'The SNS signing certificate is not valid now.');
        }
        const verifier = createVerify(version === '1' ? 'RSA-SHA1' : 'RSA-SHA256');
        verifier.update(snsStringToSign(message), 'utf8');
        if (!verifier.verify(cert.publicKey, Buffer.from(signature, 'base64'))) {
          throw new ParapetError('UNAUTHORIZED', 'The SNS signature does not match the message.');
        }
        const sent = toDate(message.Timestamp);
        if (!sent || Math.abs(now.getTime() - sent.getTime()) / 1000 > tolerance) {
          throw new ParapetError('UNAUTHORIZED', `The SNS message Timestamp is outside the tolerance of ${tolerance} s: an old replay, or a clock off.`);
        }
      },
      async parse(body) {
        const message = obj(parseJson(body, 'ses'));
        if (message.Type === 'SubscriptionConfirmation') {
          if (!confirm) return Response.json({ subscription: 'not_confirmed' });
          const url = allowedUrl(message.SubscribeURL, 'SubscribeURL');
          const res = await doFetch(url, { redirect: 'error' });
          if (!res.ok) throw new ParapetError('UNAVAILABLE', `Confirming the SNS subscription answered ${res.status}; SNS will resend the confirmation.`);
          return Response.json({ subscription: 'confirmed' });
        }
        if (message.Type === 'UnsubscribeConfirmation') return Response.json({ subscription: 'unsubscribed' });
        let inner: Record<string, unknown>;
        try {
          inner = obj(JSON.parse(String(message.Message)));
        } catch {
          return [null];
        }
        return [sesFeedback(inner, String(message.MessageId))];
      },
    },
    opts as WebhookHandlerOptions,
  );
}

function sesFeedback(event: Record<string, unknown>, snsMessageId: string): DeliveryFeedback | null {
  const type = str(event.eventType) ?? str(event.notificationType) ?? '';
  let kind = KINDS[type];
  if (!kind) return null;
  const mail = obj(event.mail);
  const detail = obj(event[type === 'Rendering Failure' ? 'failure' : type === 'DeliveryDelay' ? 'deliveryDelay' : type.charAt(0).toLowerCase() + type.slice(1)]);
  let bounce: BounceType | undefined;
  let recipients: string[] = [];
  const emails = (list: unknown) => (Array.isArray(list) ? list.map((r) => str(obj(r).emailAddress)).filter((r): r is string => !!r) : []);
  if (type === 'Bounce') {
    const subType = str(detail.bounceSubType) ?? '';
    if (subType === 'Suppressed' || subType === 'OnAccountSuppressionList') kind = 'suppressed';
    else bounce = detail.bounceType === 'Permanent' ? 'hard' : 'soft';
    recipients = emails(detail.bouncedRecipients);
  } else if (type === 'Complaint') recipients = emails(detail.complainedRecipients);
  else if (type === 'DeliveryDelay') recipients = emails(detail.delayedRecipients);
  else if (type === 'Delivery' && Array.isArray(detail.recipients)) recipients = detail.recipients.filter((r): r is string => typeof r === 'string');
  if (recipients.length === 0 && Array.isArray(mail.destination)) recipients = mail.destination.filter((r): r is string => typeof r === 'string');
  const feedback: DeliveryFeedback = { provider: 'ses', kind, eventId: snsMessageId, recipients, providerType: type, raw: event };
  if (bounce) feedback.bounce = bounce;
  const messageId = str(mail.messageId);
  if (messageId) feedback.messageId = messageId;
  const at = toDate(detail.timestamp) ?? toDate(mail.timestamp);
  if (at) feedback.occurredAt = at;
  const reason = str(obj(event.reject).reason) ?? str(detail.errorMessage) ?? str(detail.delayType);
  if (reason) feedback.reason = reason;
  return feedback;
}
