import client from 'prom-client';
import { attach, type AttachOptions, type ParapetHandle } from '../src/index.js';
import { parseExposition, type Sample } from '@parapet/vitest-preset/exposition';

/** Attach to a fresh registry and read its exposition back as samples. */
export async function withParapet<T>(fn: (ctx: { handle: ParapetHandle; scrape: () => Promise<Sample[]> }) => Promise<T> | T, options: AttachOptions = {}): Promise<T> {
  const registry = new client.Registry();
  const handle = attach({ registry, ...options });
  try {
    return await fn({ handle, scrape: async () => parseExposition(await registry.metrics()) });
  } finally {
    await handle.detach();
  }
}
