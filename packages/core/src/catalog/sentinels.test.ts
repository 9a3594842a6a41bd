import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { isSentinelValue, SENTINEL_VALUES } from './sentinels.js';

describe('sentinel label values', () => {
  it('share one case convention: lower snake case with a leading underscore', () => {
    for (const value of SENTINEL_VALUES) expect(value).toMatch(/^_[a-z][a-z_]*$/);
    expect(new Set(SENTINEL_VALUES).size).toBe(SENTINEL_VALUES.length);
    expect(isSentinelValue('_other')).toBe(true);
    expect(isSentinelValue('_OTHER')).toBe(false);
    expect(isSentinelValue('none')).toBe(false);
  });

  it('are each documented in docs/telemetry.md', async () => {
    const doc = await readFile(new URL('../../../../docs/telemetry.md', import.meta.url), 'utf8');
    for (const value of SENTINEL_VALUES) expect(doc, value).toContain(`| \`${value}\` |`);
  });

  it('are the only underscore values written anywhere in core outside this module', async () => {
    // A literal like '_OTHER' retyped in a recorder is how two spellings appeared before.
    const { readdir } = await import('node:fs/promises');
    const root = new URL('../', import.meta.url);
    const files = (await readdir(root, { recursive: true })).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('slo') && !f.endsWith('sentinels.ts'),
    );
    for (const file of files) {
      const text = await readFile(new URL(file, root), 'utf8');
      for (const value of SENTINEL_VALUES) expect(text.includes(`'${value}'`), `${file} retypes '${value}'`).toBe(false);
    }
  });
});
