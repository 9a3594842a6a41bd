import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveSlices } from '@parapet/core/slo';
import { deliverySaas } from '@parapet/starter-pack-delivery-saas';
import { needs } from '@parapet/vitest-preset/services';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs } from './args.js';
import { exec, parapet, removeScratch, repoRoot, scratch, write } from './test-support.js';

afterAll(removeScratch);

const hasPromtool = await needs('promtool');
const docs = ['slo-authoring-guide.md', 'slo-reference.md'];

interface Block { readonly lang: string; readonly code: string }
function blocks(doc: string): Block[] {
  const text = readFileSync(join(repoRoot, 'docs', doc), 'utf8');
  return [...text.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, code: m[2]! }));
}

describe.each(docs)('docs/%s examples', (doc) => {
  const all = blocks(doc);
  const examples = all.flatMap((b, i) => (b.lang === 'ts' ? [{ code: b.code, expected: all[i + 1]?.lang === 'text' ? all[i + 1]!.code.trim() : undefined, index: i }] : []));

  it('has TypeScript examples', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples.map((e) => [e.index, e] as const))('block %i generates valid rules (or fails with the documented message)', async (_, example) => {
    const dir = scratch();
    const config = write(dir, 'parapet.config.ts', example.code);
    const result = await parapet(['gen', 'prometheus', '--config', config, '--out', join(dir, 'out')]);
    if (example.expected !== undefined) {
      expect(result.code).toBe(1);
      for (const line of example.expected.split('\n')) expect(result.stderr).toContain(line.trim());
      return;
    }
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    if (hasPromtool) {
      const lint = await exec('promtool', ['check', 'rules', '--lint=all', '--lint-fatal', 'rules.yml'], join(dir, 'out'));
      expect(lint.stdout).toContain('SUCCESS');
    }
  });

  it('uses only real CLI commands in shell examples', () => {
    for (const block of all.filter((b) => b.lang === 'sh')) {
      for (const line of block.code.split('\n').filter((l) => l.startsWith('pnpm parapet '))) {
        expect(() => parseArgs(line.replace('pnpm parapet ', '').split(/\s+/))).not.toThrow();
      }
    }
  });
});

describe('docs/slo-reference.md tables', () => {
  it('match the built-in slices and their defaults', () => {
    const text = readFileSync(join(repoRoot, 'docs', 'slo-reference.md'), 'utf8');
    const rows = [...text.matchAll(/^\| `([a-z_]+)` \| ([\d.]+) \| (\w+) \| ([^|]+) \|([^|]*)\|/gm)].map((m) => [m[1], Number(m[2]), m[3], m[4]!.split(' ')[0], m[5]!.trim()]);
    const slices = resolveSlices([deliverySaas()]);
    expect(rows).toEqual(slices.map((s) => [s.name, s.objective, s.alert, s.sli.kind, s.groupBy.join(', ')]));
    for (const s of slices) {
      expect([s.period, s.minBadEvents, s.noDataFor]).toEqual(['30d', 5, '10m']);
      const metric = s.sli.kind === 'event-ratio' ? s.sli.total.metric : s.sli.metric;
      expect(text).toContain(`\`${metric}\``);
    }
  });
});
