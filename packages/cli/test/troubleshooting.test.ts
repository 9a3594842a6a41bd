// The troubleshooting guide every doctor finding links: shipped in the tarball as
// TROUBLESHOOTING.md (generated from docs/troubleshooting.md at prepack, the one source), and
// named by a path the user can open from the project.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COPY, SOURCE, shippedTroubleshooting } from '../scripts/troubleshooting.mjs';
import { docsPage } from '../src/commands/doctor.js';
import { FINDING_IDS } from '../src/doctor/registry.js';
import { packageDir, repoRoot } from '../src/test-support.js';

afterAll(() => rmSync(COPY, { force: true }));

describe('TROUBLESHOOTING.md in the @parapet/cli tarball', () => {
  it('is in `files`, and prepack writes it from docs/troubleshooting.md', () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { files: string[]; scripts: Record<string, string> };
    expect(manifest.files).toContain('TROUBLESHOOTING.md');
    expect(manifest.scripts.prepack).toContain('node scripts/troubleshooting.mjs');
    expect(SOURCE).toBe(join(repoRoot, 'docs', 'troubleshooting.md'));
    rmSync(COPY, { force: true });
    execFileSync(process.execPath, [join(packageDir, 'scripts', 'troubleshooting.mjs')]);
    expect(readFileSync(COPY, 'utf8')).toBe(shippedTroubleshooting(readFileSync(SOURCE, 'utf8')));
    // Generated, so never committed: git ignores it.
    expect(execFileSync('git', ['check-ignore', COPY], { cwd: repoRoot, encoding: 'utf8' }).trim()).toBe(COPY);
  });

  it('keeps a section per finding id; its links work from node_modules/@parapet/cli/', () => {
    const shipped = shippedTroubleshooting(readFileSync(SOURCE, 'utf8'));
    for (const id of FINDING_IDS) expect(shipped, id).toMatch(new RegExp(`^### \`${id}\`$`, 'm'));
    const relative = [...shipped.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^(https?:|#)/.test(t));
    // This package's README, and sibling @parapet packages' READMEs; nothing pointing into the repository.
    expect(relative.length).toBeGreaterThan(0);
    for (const target of relative) expect(target).toMatch(/^(README\.md|\.\.\/[a-z0-9-]+\/README\.md)(#[\w-]+)?$/);
    expect(shipped).toContain('[packages/cli/README.md](README.md#parapet-doctor)');
    expect(shipped).toContain('See docs/mcp.md in the Parapet repository.');
  });
});

describe('docsPage: how a finding names the guide', () => {
  it('relative to the project when the guide is inside it, else absolute; the repository path without one', () => {
    expect(docsPage('/srv/app', '/srv/app/node_modules/@parapet/cli/TROUBLESHOOTING.md')).toBe('node_modules/@parapet/cli/TROUBLESHOOTING.md');
    expect(docsPage(repoRoot, join(repoRoot, 'docs', 'troubleshooting.md'))).toBe('docs/troubleshooting.md');
    expect(docsPage('/srv/app', '/home/me/.npm/_npx/1a2b/node_modules/@parapet/cli/TROUBLESHOOTING.md')).toBe('/home/me/.npm/_npx/1a2b/node_modules/@parapet/cli/TROUBLESHOOTING.md');
    expect(docsPage('/srv/app', undefined)).toBe('docs/troubleshooting.md');
    expect(existsSync(SOURCE)).toBe(true);
  });
});
