import { describe, expect, it } from 'vitest';
import { attemptBucket, normalizeMethod, routeLabel, statusClass, statusCodeLabel, validSeconds } from './normalize.js';

describe('normalizers', () => {
  it('maps methods to the allowlist or _other', () => {
    expect(normalizeMethod('GET')).toBe('GET');
    expect(normalizeMethod('patch')).toBe('PATCH');
    expect(normalizeMethod('QUERY')).toBe('QUERY');
    expect(normalizeMethod('PURGE')).toBe('_other');
    expect(normalizeMethod('G\u0000ET')).toBe('_other');
    expect(normalizeMethod('x'.repeat(10_000))).toBe('_other');
    expect(normalizeMethod(undefined)).toBe('_other');
  });

  it('derives status class and code only from valid codes', () => {
    expect([statusClass(204), statusClass(302), statusClass(429), statusClass(503), statusClass(101)]).toEqual(['2xx', '3xx', '4xx', '5xx', '1xx']);
    expect(statusClass(600)).toBe('_other');
    expect(statusClass(Number.NaN)).toBe('_other');
    expect(statusCodeLabel(404)).toBe('404');
    expect(statusCodeLabel(99)).toBe('_other');
    expect(statusCodeLabel(404.5)).toBe('_other');
  });

  it('labels unmatched routes with one fixed value', () => {
    expect(routeLabel('/users/:id')).toBe('/users/:id');
    expect(routeLabel(undefined)).toBe('_unmatched');
    expect(routeLabel('')).toBe('_unmatched');
  });

  it('buckets attempts', () => {
    expect([1, 2, 3, 4, 5, 6, 10, 11, 500].map(attemptBucket)).toEqual(['1', '2', '3', '4-5', '4-5', '6-10', '6-10', '11+', '11+']);
    expect(attemptBucket(undefined)).toBe('1');
    expect(attemptBucket(-3)).toBe('1');
  });

  it('accepts only finite non-negative seconds', () => {
    expect(validSeconds(0.25)).toBe(0.25);
    expect(validSeconds(-1)).toBeUndefined();
    expect(validSeconds(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(validSeconds('1')).toBeUndefined();
  });
});
