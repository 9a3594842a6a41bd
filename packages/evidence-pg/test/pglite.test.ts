import { describeEvidenceStore } from './conformance.js';
import { pgliteTarget } from './targets.js';

// Embedded PGlite: one connection in one process. Its concurrency tests prove that concurrent
// callers queue on the single connection and still get exactly-once results; the multi-process
// tests run on PostgreSQL and PgBouncer only.
describeEvidenceStore(pgliteTarget);
