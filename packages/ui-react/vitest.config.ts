import { parapetProject } from '@parapet/vitest-preset';

// Browser tests (`*.browser.test.ts`, slow tier) start a real server and Debian's Chromium.
export default parapetProject('ui-react', { testTimeout: 60_000, hookTimeout: 120_000 });
