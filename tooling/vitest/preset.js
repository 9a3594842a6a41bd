import { configDefaults, defineProject } from 'vitest/config';

/**
 * Slow tests, by file name, in every project: end-to-end (`*.e2e.test.ts`, or anything under a
 * `test/e2e/` folder), browser (`*.browser.test.ts`) and tarball-install tests (named `*.e2e.test.ts`).
 * `PARAPET_TESTS=fast` leaves them out (`.ci/run` does for its Node 22 pass); by default every
 * test runs. See docs/contributing.md ("Test tiers").
 */
export const SLOW_TESTS = ['**/*.e2e.test.ts', '**/*.browser.test.ts', '**/test/e2e/**'];

/** True when this run leaves the slow tests out (`PARAPET_TESTS=fast`). */
export function fastTestsOnly() {
  const tier = process.env.PARAPET_TESTS;
  if (tier === undefined || tier === '' || tier === 'all') return false;
  if (tier === 'fast') return true;
  throw new Error(`PARAPET_TESTS=${tier} is not a test tier: use "fast" (leave out e2e, browser and tarball-install tests) or "all" (the default).`);
}

/**
 * Shared vitest project preset. Tests run against package sources (the `parapet-source`
 * export condition), so `npm test` never needs a build first. Plain JS because vitest loads
 * config files (and what they import from node_modules) with Node itself.
 *
 * @param {string} name project name (`vitest --project <name>`)
 * @param {import('vitest/config').UserWorkspaceConfig['test']} [overrides]
 */
export function parapetProject(name, overrides = {}) {
  const exclude = [...configDefaults.exclude, ...(overrides.exclude ?? []), ...(fastTestsOnly() ? SLOW_TESTS : [])];
  return defineProject({
    resolve: { conditions: ['parapet-source'] },
    ssr: { resolve: { conditions: ['parapet-source'] } },
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      testTimeout: 20_000,
      hookTimeout: 30_000,
      ...overrides,
      exclude,
    },
  });
}
