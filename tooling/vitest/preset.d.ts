import type { UserWorkspaceConfig } from 'vitest/config';

/** Shared vitest project preset: runs tests against sources (`parapet-source` condition). */
export declare function parapetProject(name: string, overrides?: UserWorkspaceConfig['test']): UserWorkspaceConfig;
