import { parapetProject } from '@parapet/vitest-preset';

// Database-backed tests create their own databases and (one file) a private Postgres cluster.
export default parapetProject('evidence-pg', { testTimeout: 60_000, hookTimeout: 120_000 });
