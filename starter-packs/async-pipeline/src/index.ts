import type { Provider, SliceSpec } from '@parapet/core';
import { parseOptions } from '@parapet/core/integration';
import * as z from 'zod';
import { DEFAULT_RUNBOOK_BASE_URL, asyncPipelineSlices } from './slices.js';

export { DEFAULT_RUNBOOK_BASE_URL, asyncPipelineSlices } from './slices.js';

export const ASYNC_PIPELINE_PROVIDER = '@parapet/starter-pack-async-pipeline';
export const ASYNC_PIPELINE_SLICES = [
  'async_pipeline_stage_success', 'async_pipeline_stage_latency', 'async_pipeline_backlog_age',
  'async_pipeline_callback_success', 'async_pipeline_callback_freshness',
] as const;
export type AsyncPipelineSliceName = (typeof ASYNC_PIPELINE_SLICES)[number];

export interface AsyncPipelineOptions {
  /** Base URL of your runbooks; each slice appends its slug. Default `https://parapet.dev/runbooks`. */
  readonly runbookBaseUrl?: string;
  /** Per-slice changes (objective, alert class, groupBy, labels, sli, ...). The name cannot change. */
  readonly overrides?: Partial<Record<AsyncPipelineSliceName, Partial<Omit<SliceSpec, 'name'>>>>;
  /** Slices to leave out, e.g. the callback slices when nothing calls back. */
  readonly exclude?: readonly AsyncPipelineSliceName[];
  /** Labels added to every slice (team, tier, ...). */
  readonly labels?: Readonly<Record<string, string>>;
}

const sliceName = z.enum(ASYNC_PIPELINE_SLICES);
const schema = z.strictObject({
  runbookBaseUrl: z.string().url().optional(),
  overrides: z.partialRecord(sliceName, z.record(z.string(), z.unknown())).optional(),
  exclude: z.array(sliceName).optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

/**
 * Async-pipeline starter pack, for staged background work (ingest → process → notify, a provider
 * calling back): stage success and latency, backlog age, callback success and freshness. Fed by
 * `async.stage`, `async.backlog` and `async.callback` events (your pipeline, @parapet/stripe's
 * webhooks, ...). Combine it with webSaas() or deliverySaas(): its slice names do not collide.
 */
export function asyncPipeline(options: AsyncPipelineOptions = {}): Provider {
  parseOptions(schema, options, 'asyncPipeline()');
  return {
    name: ASYNC_PIPELINE_PROVIDER,
    slices: () =>
      asyncPipelineSlices(options.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL)
        .filter((s) => !options.exclude?.includes(s.name as AsyncPipelineSliceName))
        .map((s) => {
          const override = options.overrides?.[s.name as AsyncPipelineSliceName] ?? {};
          const labels = { ...options.labels, ...s.labels, ...override.labels };
          return { ...s, ...override, name: s.name, ...(Object.keys(labels).length > 0 ? { labels } : {}) };
        }),
  };
}
