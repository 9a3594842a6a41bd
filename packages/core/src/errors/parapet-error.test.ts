import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { parseOptions } from '../internal/options.js';
import { closeable } from '../lifecycle.js';
import { ERROR_CODES, errorResponse, isParapetError, ParapetError } from './parapet-error.js';

describe('ParapetError', () => {
  it('derives HTTP status, exit code and the JSON body from its code', async () => {
    const error = new ParapetError('INVALID_REQUEST', 'alerts[0].labels is missing', { details: { field: 'alerts[0].labels' } });
    expect(error.status).toBe(400);
    expect(error.exitCode).toBe(1);
    expect(new ParapetError('USAGE', 'x').exitCode).toBe(2);
    const response = errorResponse(error);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual({
      error: { code: 'INVALID_REQUEST', message: 'alerts[0].labels is missing', details: { field: 'alerts[0].labels' } },
    });
  });

  it('answers 500 INTERNAL without leaking the message of an unknown error, and logs the cause where the body says', async () => {
    const logged: unknown[][] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args));
    try {
      const response = errorResponse(new Error('relation "parapet_incident" does not exist'));
      expect(response.status).toBe(500);
      const body = await response.text();
      expect(body).not.toContain('parapet_incident');
      expect(JSON.parse(body).error).toEqual({ code: 'INTERNAL', message: 'Internal error inside Parapet; see the application log.' });
      expect(logged).toHaveLength(1);
      expect(String(logged[0]![0])).toMatch(/^\[parapet\] answered 500 INTERNAL for: Error: relation "parapet_incident" does not exist\n\s+at /);
      // The same fault again within a minute is not logged again; a ParapetError is the caller's to explain.
      errorResponse(new Error('relation "parapet_incident" does not exist'));
      errorResponse(new ParapetError('CONFLICT', 'x'));
      expect(logged).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('uses only UPPER_SNAKE codes', () => {
    for (const code of Object.keys(ERROR_CODES)) expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
    expect(isParapetError(new ParapetError('CONFLICT', 'x'))).toBe(true);
    expect(isParapetError(new Error('x'))).toBe(false);
  });
});

describe('parseOptions', () => {
  const schema = z.strictObject({
    registry: z.object({}).optional(),
    maxSeries: z.number().int().positive().optional(),
    format: z.enum(['text', 'openmetrics']).optional(),
    nested: z.strictObject({ token: z.string() }).optional(),
  });

  it('returns the parsed value for valid input and {} for undefined', () => {
    expect(parseOptions(schema, { maxSeries: 5 }, 'f()')).toEqual({ maxSeries: 5 });
    expect(parseOptions(schema, undefined, 'f()')).toEqual({});
  });

  it('names an unknown option, the closest accepted one and all accepted ones', () => {
    const error = (() => {
      try {
        parseOptions(schema, { registy: {} }, 'attach()');
      } catch (e) {
        return e;
      }
    })() as ParapetError;
    expect(error).toBeInstanceOf(ParapetError);
    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.message).toContain('attach(): unknown option "registy" (did you mean "registry"?)');
    expect(error.message).toContain('accepted options: registry, maxSeries, format, nested');
  });

  it('says a type is wrong, naming the expected type and what was given', () => {
    expect(() => parseOptions(schema, { maxSeries: '5' }, 'f()')).toThrow('option "maxSeries" must be a number, got the string "5"');
    expect(() => parseOptions(schema, { format: 'json' }, 'f()')).toThrow('option "format" must be one of "text", "openmetrics", got the string "json"');
    expect(() => parseOptions(schema, { nested: { token: 'x', tokne: 'y' } }, 'f()')).toThrow('unknown option "nested.tokne"');
    expect(() => parseOptions(schema, { nested: {} }, 'f()')).toThrow('option "nested.token" is required (string)');
  });
});

describe('closeable', () => {
  it('runs close once, also through Symbol.asyncDispose', async () => {
    let calls = 0;
    const handle = closeable({ name: 'x' }, async () => {
      calls++;
    });
    await Promise.all([handle.close(), handle.close(), handle[Symbol.asyncDispose]()]);
    expect(calls).toBe(1);
    expect(handle.name).toBe('x');
  });
});
