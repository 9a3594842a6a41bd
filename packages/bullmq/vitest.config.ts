import { parapetProject } from '@parapet/vitest-preset';

// Redis-backed tests spawn worker processes and wait for stall detection: allow them time.
export default parapetProject('bullmq', { testTimeout: 30_000 });
