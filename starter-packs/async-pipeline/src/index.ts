import { defineStarterPack, type StarterPackOptions } from '@parapet/core/slo';
import { asyncPipelineSlices } from './slices.js';

export { asyncPipelineSlices } from './slices.js';

export const ASYNC_PIPELINE_PROVIDER = '@parapet/starter-pack-async-pipeline';
export const ASYNC_PIPELINE_SLICES = [
  'async_pipeline_stage_success', 'async_pipeline_stage_latency', 'async_pipeline_backlog_age',
  'async_pipeline_callback_success', 'async_pipeline_callback_freshness',
] as const;
export type AsyncPipelineSliceName = (typeof ASYNC_PIPELINE_SLICES)[number];
/** The pack's options: `StarterPackOptions` from `@parapet/core/slo` over its slice names. */
export type AsyncPipelineOptions = StarterPackOptions<AsyncPipelineSliceName>;

/**
 * Async-pipeline starter pack, for staged background work (ingest → process → notify, a provider
 * calling back): stage success and latency, backlog age, callback success and freshness. Fed by
 * `async.stage`, `async.backlog` and `async.callback` events (your pipeline, @parapet/stripe's
 * webhooks, ...). Combine it with webSaas() or deliverySaas(): its slice names do not collide.
 * Unknown options or slice names are errors.
 */
export const asyncPipeline = defineStarterPack<AsyncPipelineSliceName>({
  provider: ASYNC_PIPELINE_PROVIDER,
  sliceNames: ASYNC_PIPELINE_SLICES,
  slices: asyncPipelineSlices,
});
