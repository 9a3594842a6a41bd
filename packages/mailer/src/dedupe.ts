/**
 * Where webhook handlers remember the provider event ids they already processed. The default is
 * a bounded in-memory LRU per handler; a durable store (evidence rows) can implement the same
 * two methods.
 */
export interface DedupeStore {
  /** Claim `key`: true when it was not seen before (process the event), false for a duplicate. */
  claim(key: string): boolean | Promise<boolean>;
  /** Forget a claim whose processing failed, so the provider's retry is processed. */
  release(key: string): void | Promise<void>;
}

/** Bounded LRU of seen keys: the oldest key is forgotten once `capacity` is reached. */
export function memoryDedupe(capacity = 10_000): DedupeStore & { readonly size: number } {
  const seen = new Map<string, true>();
  return {
    get size() {
      return seen.size;
    },
    claim(key) {
      if (seen.has(key)) {
        // Refresh recency: a key providers keep retrying stays remembered.
        seen.delete(key);
        seen.set(key, true);
        return false;
      }
      seen.set(key, true);
      if (seen.size > capacity) seen.delete(seen.keys().next().value as string);
      return true;
    },
    release(key) {
      seen.delete(key);
    },
  };
}
