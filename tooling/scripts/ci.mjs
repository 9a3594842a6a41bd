#!/usr/bin/env node
// Behind `.ci/run` (after the services are up): the whole suite on Node 24, then everything but
// the slow tier (PARAPET_TESTS=fast: end-to-end, browser and tarball-install tests) on Node 22.
// Both Nodes come from the npm registry's `node` package through npx, pinned here. Each pass is
// `npm test` (install, typecheck + lint, vitest) with that Node first on PATH; this script prints ONE
// closing `N passed, N failed` line summed over both and exits non-zero if either pass failed.
// Runs on any Node that can start it (the machine's own may be older than the project needs).
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { fetchNode } from './run.mjs';

/** The Node versions CI runs; keep NODE_24 equal to run.mjs's FALLBACK_NODE. */
const NODE_24 = '24.21.0';
const NODE_22 = '22.23.3';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const passes = [
  { node: NODE_24, tier: 'all' },
  { node: NODE_22, tier: 'fast' },
];

const totals = { passed: 0, failed: 0, skipped: 0 };
const results = [];
for (const pass of passes) {
  const bin = fetchNode(pass.node);
  const report = join(root, '.parapet-tmp', `vitest-report-node${pass.node}.json`);
  rmSync(report, { force: true });
  console.log(`\n[parapet ci] Node ${pass.node}: ${pass.tier === 'all' ? 'every test' : 'every test but the slow tier (PARAPET_TESTS=fast)'}\n`);
  // Exactly what a user runs: `npm test`, with this pass's Node first on PATH.
  const status = spawnSync('npm', ['test'], {
    stdio: 'inherit',
    env: {
      ...process.env,
      PATH: `${dirname(bin)}:${process.env.PATH}`,
      PARAPET_TESTS: pass.tier,
      PARAPET_VITEST_REPORT: report,
      PARAPET_NO_SUMMARY: '1',
    },
  }).status ?? 1;
  let counts;
  try {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    counts = { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
  } catch {
    // Install, typecheck or lint failed before vitest ran: count the pass as one failure.
    counts = { passed: 0, failed: 1, skipped: 0, note: 'did not reach the tests' };
  }
  if (status !== 0 && counts.failed === 0) counts.failed = 1; // vitest failed outside a test (e.g. an unhandled error)
  results.push({ ...pass, status, ...counts });
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
}

console.log('');
for (const r of results) {
  console.log(`[parapet ci] Node ${r.node} (${r.tier}): exit ${r.status}; ${r.passed} tests ok, ${r.failed} not ok${r.skipped ? `, ${r.skipped} skipped` : ''}${r.note ? ` (${r.note})` : ''}`);
}
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(results.every((r) => r.status === 0) ? 0 : 1);
