import { parapetProject } from '@parapet/vitest-preset';

// Slow tier (`*.e2e.test.ts`): builds, packs, and runs npm installs from the registry.
export default parapetProject('pack-test', { testTimeout: 300_000, hookTimeout: 600_000 });
