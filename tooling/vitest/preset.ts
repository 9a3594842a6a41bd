import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

/**
 * Shared vitest project preset. Tests run against package sources (the `parapet-source`
 * export condition), so `pnpm test` never needs a build first.
 */
export function parapetProject(name: string, overrides: UserWorkspaceConfig['test'] = {}) {
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
