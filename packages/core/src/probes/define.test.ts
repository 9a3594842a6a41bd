import { describe, expect, it } from 'vitest';
import { defineProbe, isProbe, ProbeDefinitionError } from './define.js';

const run = async () => {};

describe('defineProbe', () => {
  it('returns a frozen probe with the default timeout', () => {
    const probe = defineProbe({ name: 'checkout_api', run });
    expect(probe).toMatchObject({ name: 'checkout_api', timeoutMs: 5000 });
    expect(Object.isFrozen(probe)).toBe(true);
    expect(isProbe(probe)).toBe(true);
    expect(isProbe({ name: 'x', timeoutMs: 1, run })).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['leading digit', '1probe'],
    ['leading underscore (reserved for sentinels such as _other / _overflow)', '_other'],
    ['space', 'check out'],
    ['braces and quotes', 'a{b="c"}'],
    ['too long', 'p'.repeat(65)],
    ['not a string', 42],
  ])('rejects a name that is not label-safe: %s', (_why, name) => {
    expect(() => defineProbe({ name: name as string, run })).toThrow(ProbeDefinitionError);
    expect(() => defineProbe({ name: name as string, run })).toThrow(/not a valid probe name.*metric label/);
  });

  it('accepts dots, colons and dashes after the first letter, up to 64 characters', () => {
    expect(defineProbe({ name: 'billing.webhook:eu-west_1', run }).name).toBe('billing.webhook:eu-west_1');
    expect(defineProbe({ name: 'p'.repeat(64), run }).name).toHaveLength(64);
  });

  it.each([0, -1, 1.5, Number.NaN, Infinity, 2 ** 31, '100'])('rejects timeoutMs %s', (timeoutMs) => {
    expect(() => defineProbe({ name: 'p', timeoutMs: timeoutMs as number, run })).toThrow(/timeoutMs must be a whole number/);
  });

  it('rejects a missing run function and a missing options object', () => {
    expect(() => defineProbe({ name: 'p' } as never)).toThrow(/run must be a function/);
    expect(() => defineProbe(undefined as never)).toThrow(/pass an options object/);
  });
});
