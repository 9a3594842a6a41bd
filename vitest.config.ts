import { defineConfig } from 'vitest/config';

// Every workspace package with a vitest.config.ts is one project; `npm test` runs them all.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'integrations/*/vitest.config.ts', 'starter-packs/*/vitest.config.ts', 'apps/*/vitest.config.ts', 'tooling/*/vitest.config.ts'],
  },
});
