import { needs } from '@parapet/vitest-preset/services';
import { describe } from 'vitest';
import { describeEvidenceStore } from './conformance.js';
import { pgbouncerTarget } from './targets.js';

// PostgreSQL behind PgBouncer in transaction pooling mode (tooling/services.sh, port 6432).
describe.runIf(await needs('postgres', 'pgbouncer'))('PostgreSQL behind PgBouncer (transaction pooling)', () => {
  describeEvidenceStore(pgbouncerTarget);
});
