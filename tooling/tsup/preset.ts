import { defineConfig, type Options } from 'tsup';

/**
 * How every published Parapet package is built: ESM + CJS with type declarations for both,
 * for Node 22.12+ (and 24). Dependencies and peers stay external (tsup's default), so the host installs
 * `@parapet/core` and the framework once.
 */
export function parapetBuild(entry: Record<string, string>, overrides: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node22',
    ...overrides,
  });
}
