import { describeEvidenceStore } from './conformance.js';
import { pgliteTarget } from './targets.js';

// Embedded PGlite: one connection in one process, so the concurrency suite does not apply here.
describeEvidenceStore(pgliteTarget);
