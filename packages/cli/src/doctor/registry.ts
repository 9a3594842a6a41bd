/**
 * Every doctor check, in report order: config first (most later checks need it), then the app's
 * source, the environment, the evidence database and the live services. Adding a check: write it
 * in the module of its group, list it there, document its id in docs/troubleshooting.md, and give
 * it a triggering and a passing fixture in test/fixtures/doctor/.
 */
import { configChecks } from './config-checks.js';
import { databaseChecks } from './database-checks.js';
import { environmentChecks } from './environment-checks.js';
import { liveChecks } from './live-checks.js';
import { sourceChecks } from './source-checks.js';
import type { Check } from './types.js';

export const CHECKS: readonly Check[] = [...configChecks, ...sourceChecks, ...environmentChecks, ...databaseChecks, ...liveChecks];

/** The stable finding ids, in report order. */
export const FINDING_IDS: readonly string[] = CHECKS.map((c) => c.id);
