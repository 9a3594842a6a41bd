import { describe, expect, it } from 'vitest';
import { plural } from './plural.js';

describe('plural', () => {
  it('uses the singular for exactly one', () => {
    expect([plural(0, 'file'), plural(1, 'file'), plural(2, 'file'), plural(1, 'query', 'queries'), plural(3, 'query', 'queries')]).toEqual([
      '0 files', '1 file', '2 files', '1 query', '3 queries',
    ]);
  });
});
