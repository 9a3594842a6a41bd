import { defineProject } from 'vitest/config';

/**
 * Shared vitest project preset. Tests run against package sources (the `parapet-source`
 * export condition), so `npm test` never needs a build first. Plain JS because vitest loads
 * config files (and what they import from node_modules) with Node itself.
 *
 * @param {string} name project name (`vitest --project <name>`)
 * @param {import('vitest/config').UserWorkspaceConfig['test']} [overrides]
 */
export function parapetProject(name, overrides = {}) {
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
    },
  });
}
