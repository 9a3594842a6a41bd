import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';
import { ParapetError } from '../errors/parapet-error.js';

const load = createRequire(import.meta.url);

/**
 * Load an optional or peer dependency on first use, so a missing one is a clear error naming the
 * install command instead of a module-not-found at import time.
 *
 * @param where what needed it, as the user wrote it (`attach()`, `createMetricsHandler()`).
 * @internal
 */
export function requirePeer<T>(name: string, range: string, where: string): T {
  try {
    return load(name) as T;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') throw error;
    const install = `npm install ${name}`;
    throw new ParapetError(
      'MISSING_PEER',
      `${where} needs the peer dependency "${name}" (${range}), which is not installed. Install it next to @parapet/core: ${install}`,
      { details: { peer: name, range, install }, cause: error },
    );
  }
}

let promClient: typeof PromClient | undefined;

/**
 * prom-client, the peer dependency the default sink and the metrics handler use. Loaded once, from
 * the host's installation, so the host and Parapet share one copy and one global registry.
 * @internal
 */
export function loadPromClient(where: string): typeof PromClient {
  return (promClient ??= requirePeer<typeof PromClient>('prom-client', '^15', where));
}
