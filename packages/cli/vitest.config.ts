import { parapetProject } from '@parapet/vitest-preset';

export default parapetProject('cli', { testTimeout: 60_000 });
