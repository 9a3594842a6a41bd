import { OTHER_VALUE, UNMATCHED_ROUTE } from './sentinels.js';
import { HTTP_METHODS, type AttemptBucket } from './values.js';

/**
 * Normalizers turn raw inputs into bounded label values. Each returns a value from a closed
 * set or a template; none ever returns the raw input when it could be unbounded.
 */

const KNOWN_METHODS: ReadonlySet<string> = new Set(HTTP_METHODS);

/** Upper-cased method if it is in the allowlist (RFC 9110 + PATCH + QUERY), else `_other`. */
export function normalizeMethod(method: unknown): string {
  if (typeof method !== 'string') return OTHER_VALUE;
  if (KNOWN_METHODS.has(method)) return method;
  if (method.length > 10) return OTHER_VALUE;
  const upper = method.toUpperCase();
  return KNOWN_METHODS.has(upper) ? upper : OTHER_VALUE;
}

const STATUS_CODES: string[] = [];
for (let code = 100; code < 600; code++) STATUS_CODES[code] = String(code);

/** `"404"` for a valid status code (100–599), else `_other`. */
export function statusCodeLabel(code: unknown): string {
  return (typeof code === 'number' && STATUS_CODES[code]) || OTHER_VALUE;
}

const CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/** `"2xx"` … `"5xx"` for a valid status code, else `_other`. */
export function statusClass(code: unknown): string {
  if (typeof code !== 'number' || !(code >= 100 && code < 600)) return OTHER_VALUE;
  return CLASSES[Math.floor(code / 100) - 1]!;
}

/** A route template, or `_unmatched` when no route matched. Never pass a concrete path here. */
export function routeLabel(template: string | undefined | null): string {
  return template ? template : UNMATCHED_ROUTE;
}

/** Attempt numbers bucketed: 1, 2, 3, 4-5, 6-10, 11+. */
export function attemptBucket(attempt: unknown): AttemptBucket {
  const n = typeof attempt === 'number' && Number.isFinite(attempt) ? Math.max(1, Math.floor(attempt)) : 1;
  if (n <= 3) return String(n) as AttemptBucket;
  if (n <= 5) return '4-5';
  if (n <= 10) return '6-10';
  return '11+';
}

/** A non-negative finite number of seconds, or undefined. */
export function validSeconds(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
