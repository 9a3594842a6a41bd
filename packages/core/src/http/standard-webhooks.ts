import { createHmac, timingSafeEqual } from 'node:crypto';
import { ParapetError } from '../errors/parapet-error.js';

/**
 * Standard Webhooks (https://www.standardwebhooks.com, used by Resend and Svix) with node:crypto:
 * `v1,<base64 HMAC-SHA256(secret, "<id>.<timestamp>.<raw body>")>`, the secret being the base64
 * part of `whsec_<base64>`.
 */

function secretKey(secret: string): Buffer {
  const b64 = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  const key = Buffer.from(b64, 'base64');
  if (key.length === 0) throw new ParapetError('INVALID_OPTIONS', 'The webhook secret is empty; pass the "whsec_..." signing secret from the provider dashboard.');
  return key;
}

/** Sign like a Standard Webhooks sender does. Returns the `webhook-signature` header value. */
export function signStandardWebhook(input: { id: string; timestamp: number; body: string | Buffer; secret: string }): string {
  const mac = createHmac('sha256', secretKey(input.secret)).update(`${input.id}.${input.timestamp}.`).update(input.body).digest('base64');
  return `v1,${mac}`;
}

export interface StandardWebhookHeaders {
  id: string;
  timestamp: number;
}

/**
 * Verify a Standard Webhooks request (headers `webhook-*` or `svix-*`). Throws
 * INVALID_REQUEST for missing headers, UNAUTHORIZED for a wrong signature or a timestamp outside
 * `toleranceSeconds` (either direction: replays of old deliveries and clock-skewed forgeries).
 */
export function verifyStandardWebhook(input: { headers: Headers; body: Buffer; secrets: readonly string[]; toleranceSeconds: number; now: Date }): StandardWebhookHeaders {
  const h = input.headers;
  const id = h.get('webhook-id') ?? h.get('svix-id');
  const ts = h.get('webhook-timestamp') ?? h.get('svix-timestamp');
  const sig = h.get('webhook-signature') ?? h.get('svix-signature');
  if (!id || !ts || !sig) {
    throw new ParapetError('INVALID_REQUEST', 'Missing webhook-id/webhook-timestamp/webhook-signature (or svix-*) headers. Is this request from the provider, and does a proxy strip headers?');
  }
  const timestamp = Number(ts);
  if (!/^\d+$/.test(ts) || !Number.isSafeInteger(timestamp)) throw new ParapetError('INVALID_REQUEST', 'The webhook timestamp header is not unix seconds.');
  const skew = Math.abs(input.now.getTime() / 1000 - timestamp);
  if (skew > input.toleranceSeconds) {
    throw new ParapetError('UNAUTHORIZED', `The webhook timestamp is ${Math.round(skew)} s away from now (tolerance ${input.toleranceSeconds} s): an old replay, or a clock off.`);
  }
  const given = sig
    .split(' ')
    .map((part) => part.split(','))
    .filter(([version, value]) => version === 'v1' && value)
    .map(([, value]) => Buffer.from(value!, 'base64'));
  for (const secret of input.secrets) {
    const expected = createHmac('sha256', secretKey(secret)).update(`${id}.${ts}.`).update(input.body).digest();
    if (given.some((g) => g.length === expected.length && timingSafeEqual(g, expected))) return { id, timestamp };
  }
  throw new ParapetError('UNAUTHORIZED', 'The webhook signature does not match the raw body. Check the signing secret, and that no body parser ran before this handler.');
}
