import type { UserWorkspaceConfig } from 'vitest/config';

/** Shared vitest project preset: runs tests against sources (`parapet-source` condition). */
export declare function parapetProject(name: string, overrides?: UserWorkspaceConfig['test']): UserWorkspaceConfig;

/** Globs of the slow tests (e2e, browser, tarball install) that `PARAPET_TESTS=fast` leaves out. */
export declare const SLOW_TESTS: readonly string[];

/** True when `PARAPET_TESTS=fast`; throws on an unknown tier. */
export declare function fastTestsOnly(): boolean;
