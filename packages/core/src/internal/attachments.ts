import type { Registry } from 'prom-client';

/**
 * Which prom-client registries live attachments record into, so createMetricsHandler() can warn
 * when it serves the global registry while Parapet records only into another one.
 * @internal
 */
const live = new Map<Registry, number>();

export function registryAttached(registry: Registry): () => void {
  live.set(registry, (live.get(registry) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (live.get(registry) ?? 1) - 1;
    if (left > 0) live.set(registry, left);
    else live.delete(registry);
  };
}

export function isRegistryAttached(registry: Registry): boolean {
  return live.has(registry);
}

/** True when some attachment records into a registry other than `served`, and none into `served`. */
export function recordsOnlyElsewhere(served: Registry): boolean {
  return live.size > 0 && !live.has(served);
}
