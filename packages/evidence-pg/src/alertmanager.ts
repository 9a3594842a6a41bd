import * as z from 'zod';
import { ParapetError } from '@parapet/core/integration';

const RFC3339 = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i;
const timestamp = z.string().regex(RFC3339, 'expected an RFC 3339 timestamp such as 2026-08-20T09:14:03.512Z');
const stringMap = z.record(z.string(), z.string());

/** One alert of an Alertmanager webhook payload (version 4). Unknown fields are kept. */
export const alertSchema = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: stringMap.refine((labels) => typeof labels.alertname === 'string' && labels.alertname.length > 0, 'labels.alertname is required'),
  annotations: stringMap.default({}),
  startsAt: timestamp,
  endsAt: timestamp.optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().min(1, 'fingerprint must not be empty'),
});

/**
 * Alertmanager webhook payload, version 4 (`notify/webhook/webhook.go`). Open schema: unknown
 * fields are expected (`routeLabels` since v0.34, `notification_reason` since v0.32).
 */
export const alertmanagerPayloadSchema = z.looseObject({
  version: z.literal('4', { error: 'expected "4" (Alertmanager webhook payload version 4)' }),
  groupKey: z.string().min(1),
  truncatedAlerts: z.number().int().nonnegative().default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: stringMap.default({}),
  commonLabels: stringMap.default({}),
  commonAnnotations: stringMap.default({}),
  externalURL: z.string().default(''),
  alerts: z.array(alertSchema),
});

export type AlertmanagerPayload = z.input<typeof alertmanagerPayloadSchema>;
export type ParsedPayload = z.output<typeof alertmanagerPayloadSchema>;
export type ParsedAlert = z.output<typeof alertSchema>;

/** Validates a decoded JSON body; a ParapetError('INVALID_REQUEST') names the first bad field. */
export function parseAlertmanagerPayload(body: unknown): ParsedPayload {
  const result = alertmanagerPayloadSchema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.map(String).join('.') : 'body'}: ${i.message}`);
  throw new ParapetError('INVALID_REQUEST', `not an Alertmanager webhook payload (version 4): ${issues.join('; ')}.`, {
    details: { fields: result.error.issues.map((i) => i.path.map(String).join('.')) },
  });
}

/**
 * Canonical UTC timestamp with exactly microseconds (`2026-08-20T09:14:03.512000Z`): what
 * PostgreSQL stores, truncated (not rounded) from Alertmanager's nanoseconds so comparisons of
 * canonical strings are exact and lexicographic. Alertmanager's zero time (`0001-01-01T00:00:00Z`,
 * sent as `endsAt` for firing alerts) becomes null.
 */
export function canonicalTimestamp(value: string | undefined): string | null {
  if (value === undefined) return null;
  const m = RFC3339.exec(value);
  if (!m) throw new ParapetError('INVALID_REQUEST', `not an RFC 3339 timestamp: ${JSON.stringify(value)}.`);
  const fraction = (m[3] ?? '').padEnd(9, '0');
  const ms = Date.parse(`${m[1]}T${m[2]}.${fraction.slice(0, 3)}${m[4]!.toUpperCase()}`);
  if (Number.isNaN(ms)) throw new ParapetError('INVALID_REQUEST', `not a valid timestamp: ${JSON.stringify(value)}.`);
  const date = new Date(ms);
  if (date.getUTCFullYear() <= 1) return null;
  return `${date.toISOString().slice(0, 23)}${fraction.slice(3, 6)}Z`;
}

/** A JS Date as a canonical microsecond timestamp. */
export function isoMicros(date: Date): string {
  return `${date.toISOString().slice(0, 23)}000Z`;
}
