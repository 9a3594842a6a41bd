import type { Registry } from 'prom-client';
import { loadPromClient } from '../internal/peer.js';
import { OPENMETRICS_TEXT, PROMETHEUS_TEXT, type ExpositionFormat } from './negotiate.js';

/**
 * Render a prom-client registry in the requested format without changing the registry.
 * prom-client fixes the format per registry and, when rendering OpenMetrics, renames counters
 * in place (dropping `_total`), which would corrupt later text scrapes. So each scrape renders
 * a throwaway registry whose entries delegate to the real metrics through the prototype chain:
 * the rename lands on the throwaway object only.
 */
export async function renderRegistry(registry: Registry, format: ExpositionFormat): Promise<{ body: string; contentType: string }> {
  const contentType = format === 'openmetrics' ? OPENMETRICS_TEXT : PROMETHEUS_TEXT;
  const client = loadPromClient('createMetricsHandler()');
  const view = new client.Registry();
  view.setContentType(contentType as typeof client.Registry.PROMETHEUS_CONTENT_TYPE);
  for (const metric of registry.getMetricsAsArray()) view.registerMetric(Object.create(metric));
  const defaults = (registry as unknown as { _defaultLabels?: Record<string, string> })._defaultLabels;
  if (defaults && Object.keys(defaults).length > 0) view.setDefaultLabels(defaults);
  return { body: await view.metrics(), contentType };
}
