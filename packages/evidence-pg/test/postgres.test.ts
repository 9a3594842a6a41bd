import { needs } from '@parapet/vitest-preset/services';
import { describe } from 'vitest';
import { describeEvidenceStore } from './conformance.js';
import { postgresTarget } from './targets.js';

describe.runIf(await needs('postgres'))('PostgreSQL', () => {
  describeEvidenceStore(postgresTarget);
});
