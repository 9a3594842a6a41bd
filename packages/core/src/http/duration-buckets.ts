import { httpServerRequestDuration } from '../catalog/catalog.js';
import type { MetricDefinition } from '../catalog/define.js';
import { ParapetError } from '../errors/parapet-error.js';

/** Most bucket bounds an HTTP duration histogram may have (each bound is one series per label set). */
export const HTTP_BUCKETS_MAX = 20;

let configured: MetricDefinition | undefined;
let inUse = false;

/**
 * Replace the bucket bounds of `parapet_http_server_request_duration_seconds` for this process
 * (the framework adapters' `buckets` option). Validated by the caller (1–20 ascending positive
 * numbers). The histogram is one per process: a second, different configuration, or one made
 * after the histogram recorded its first request, is an error saying so.
 */
export function configureHttpDurationBuckets(buckets: readonly number[], where: string): void {
  const current = configured?.buckets ?? httpServerRequestDuration.buckets;
  if (current !== undefined && current.length === buckets.length && current.every((b, i) => b === buckets[i])) return;
  if (configured !== undefined || inUse) {
    throw new ParapetError(
      'INVALID_OPTIONS',
      `${where}: the HTTP duration histogram already uses the buckets [${current?.join(', ')}]` +
        (inUse ? ' and has recorded requests' : '') +
        '. It is one histogram per process: pass the same `buckets` to every adapter, before the first request.',
      { details: { where, current, given: buckets } },
    );
  }
  configured = Object.freeze({ ...httpServerRequestDuration, buckets: Object.freeze([...buckets]) });
}

/**
 * The definition the HTTP recorder uses: the catalog's, or a copy with the configured buckets
 * (name, labels and label policy unchanged). Marks the buckets as in use.
 */
export function httpDurationDefinition(): MetricDefinition {
  inUse = true;
  return configured ?? httpServerRequestDuration;
}
