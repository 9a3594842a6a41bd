import { catalog } from '../../catalog/catalog.js';
import type { MetricDefinition } from '../../catalog/define.js';

/** The catalog entry a slice points at, or undefined for an application's own metric. */
export function catalogMetric(name: string): MetricDefinition | undefined {
  return (catalog as readonly MetricDefinition[]).find((m) => m.name === name);
}

/** Every series name the catalog exposes, with histogram `_bucket`, `_sum` and `_count`. */
export function catalogSeriesNames(): Set<string> {
  const names = new Set<string>();
  for (const m of catalog as readonly MetricDefinition[]) {
    if (m.type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m.name + s);
    else names.add(m.name);
  }
  return names;
}
