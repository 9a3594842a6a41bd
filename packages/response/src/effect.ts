import { ParapetError } from '@parapet/core/integration';
import type { CapabilityEffect } from './types.js';

/** Keeps only `summary` and `data` of a capability's effect (Parapet's own fields live in their own columns). */
export function normaliseEffect(effect: unknown): CapabilityEffect {
  const e = (effect ?? {}) as { summary?: unknown; data?: unknown };
  if (typeof e.summary !== 'string' || e.summary.trim() === '') throw new ParapetError('INTERNAL', 'the capability preview returned no effect.summary (one line describing the exact effect).');
  return { summary: e.summary, ...(e.data !== undefined && e.data !== null && typeof e.data === 'object' && { data: e.data as Record<string, unknown> }) };
}
