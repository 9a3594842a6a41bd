import { parapetProject } from '@parapet/vitest-preset';

// Database-backed tests create their own database (Postgres) or run on in-memory PGlite.
export default parapetProject('response', { testTimeout: 60_000, hookTimeout: 60_000 });
