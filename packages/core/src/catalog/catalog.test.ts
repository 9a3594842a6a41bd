import { describe, expect, it } from 'vitest';
import { catalog } from './catalog.js';

describe('metric catalog', () => {
  it('has unique names that follow Prometheus conventions', () => {
    const names = catalog.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const m of catalog) {
      expect(m.name).toMatch(/^parapet_[a-z0-9_]+$/);
      if (m.type === 'counter') expect(m.name).toMatch(/_total$/);
      if (m.type === 'histogram') expect(m.name).toMatch(/_seconds$/);
      expect(m.labels.length).toBeLessThanOrEqual(10);
    }
  });

  it('is the documented public API (docs/telemetry.md lists every metric with its labels)', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(new URL('../../../../docs/telemetry.md', import.meta.url), 'utf8');
    for (const m of catalog) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${m.name}\``));
      expect(row, `docs/telemetry.md has a row for ${m.name}`).toBeDefined();
      expect(row).toContain(`| ${m.type} |`);
      for (const label of m.labels) expect(row).toContain(label);
    }
  });
});
