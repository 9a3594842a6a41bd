import type { Registry } from 'prom-client';
import { EVENT_FAMILIES, subscribe } from './events/channels.js';
import type { EventFamily } from './events/types.js';
import type { Logger } from './internal/logger.js';
import { MetricsRuntime } from './metrics/runtime.js';
import type { MetricSink } from './metrics/sink.js';
import { recorders } from './recorders/families.js';
import { PromClientSink } from './sinks/prom-client.js';

/** What an integration gets when Parapet attaches it. */
export interface IntegrationContext {
  /** Bounded metrics of this attachment, for integration-specific metrics from the catalog. */
  readonly metrics: MetricsRuntime;
  /** Count and log a failure the integration caught. Never throws. */
  reportError(component: string, error: unknown): void;
}

/** Undo whatever `setup` did. */
export type Teardown = () => void | Promise<void>;

/**
 * An adapter for one library or framework (`@parapet/bullmq`, an auth library, ...).
 * `setup` subscribes to the library and publishes Parapet events; it returns its teardown.
 */
export interface Integration {
  /** Unique, stable name (`bullmq`, `mailer`, ...). */
  readonly name: string;
  setup(context: IntegrationContext): void | Teardown;
}

export interface AttachOptions {
  /** Integrations to set up. Each one at most once per attachment, and in one live attachment. */
  adapters?: readonly Integration[];
  /** Where metrics go. Default: a prom-client sink on `registry` (or prom-client's global registry). */
  sink?: MetricSink;
  /** prom-client registry for the default sink. Ignored when `sink` is given. */
  registry?: Registry;
  /** Series cap for metrics that declare none (default 1000). */
  maxSeriesPerMetric?: number;
  /** Which families to record. Default: all. */
  families?: readonly EventFamily[];
  logger?: Logger;
}

export interface ParapetHandle {
  readonly metrics: MetricsRuntime;
  readonly sink: MetricSink;
  /** The prom-client registry when the sink is prom-client (serve it with createMetricsHandler). */
  readonly registry: Registry | undefined;
  readonly adapters: readonly string[];
  /** Unsubscribe everything, tear adapters down and unregister metrics. Idempotent. */
  detach(): Promise<void>;
}

export class AttachError extends Error {
  override name = 'AttachError';
}

const liveAdapters = new Set<Integration>();
const liveRegistries = new WeakSet<Registry>();

function describeAdapter(value: unknown): string {
  if (typeof value === 'string') return `the string "${value}"`;
  if (value === null || typeof value !== 'object') return String(value);
  const name = (value as { name?: unknown }).name;
  return typeof name === 'string' ? `an object named "${name}" without a setup() function` : 'an object without name and setup()';
}

function validateAdapters(adapters: readonly unknown[]): Integration[] {
  const names = new Set<string>();
  return adapters.map((adapter, i) => {
    const a = adapter as Partial<Integration> | null;
    if (!a || typeof a !== 'object' || typeof a.name !== 'string' || typeof a.setup !== 'function') {
      throw new AttachError(
        `attach(): adapters[${i}] is ${describeAdapter(adapter)}, which is not a Parapet integration. ` +
          'Pass the integration object from its package, e.g. `import { bullmq } from "@parapet/bullmq"` then `adapters: [bullmq({ ... })]`.',
      );
    }
    if (names.has(a.name)) throw new AttachError(`attach(): adapter "${a.name}" is listed twice. List each adapter once.`);
    if (liveAdapters.has(a as Integration)) {
      throw new AttachError(`attach(): adapter "${a.name}" is already attached. Call detach() on that handle before attaching it again.`);
    }
    names.add(a.name);
    return a as Integration;
  });
}

/**
 * Attach Parapet: subscribe the catalog's recorders to every event family, then set up the
 * adapters. Returns a handle whose `detach()` undoes all of it. A failure inside any Parapet
 * subscriber is caught and counted in `parapet_internal_errors_total`; it never reaches the
 * publisher.
 */
export function attach(options: AttachOptions = {}): ParapetHandle {
  const adapters = validateAdapters(options.adapters ?? []);
  const sink = options.sink ?? new PromClientSink(options.registry ? { registry: options.registry } : {});
  const registry = sink instanceof PromClientSink ? sink.registry : undefined;
  if (registry && liveRegistries.has(registry)) {
    throw new AttachError(
      'attach(): Parapet is already attached to this prom-client registry; recording twice would double every count. ' +
        'Call detach() on the first handle, or pass a separate `registry`.',
    );
  }
  const metrics = new MetricsRuntime({
    sink,
    ...(options.maxSeriesPerMetric !== undefined && { maxSeriesPerMetric: options.maxSeriesPerMetric }),
    ...(options.logger && { logger: options.logger }),
  });
  if (registry) liveRegistries.add(registry);

  const teardowns: Teardown[] = [];
  for (const family of options.families ?? EVENT_FAMILIES) {
    const record = (recorders[family] as (rt: MetricsRuntime) => (event: unknown) => void)(metrics);
    const component = `recorder:${family}`;
    teardowns.push(
      subscribe(family, (event: unknown) => {
        try {
          record(event);
        } catch (error) {
          metrics.reportError(component, error);
        }
      }),
    );
  }

  const context: IntegrationContext = { metrics, reportError: (c, e) => metrics.reportError(c, e) };
  const attached: Integration[] = [];
  /** Free the adapters and the registry for another attach, and unregister the metrics. */
  const release = () => {
    for (const a of attached) liveAdapters.delete(a);
    if (registry) liveRegistries.delete(registry);
    metrics.close();
  };
  try {
    for (const adapter of adapters) {
      const teardown = adapter.setup(context);
      liveAdapters.add(adapter);
      attached.push(adapter);
      if (typeof teardown === 'function') teardowns.push(teardown);
    }
  } catch (error) {
    // Leave nothing half-attached: undo what was set up, then explain.
    for (const t of teardowns.reverse()) void Promise.resolve().then(t).catch(() => {});
    release();
    const name = adapters[attached.length]?.name ?? 'unknown';
    throw new AttachError(`attach(): adapter "${name}" failed to set up: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }

  let detached = false;
  return {
    metrics,
    sink,
    registry,
    adapters: adapters.map((a) => a.name),
    async detach() {
      if (detached) return;
      detached = true;
      for (const teardown of teardowns.reverse()) {
        try {
          await teardown();
        } catch (error) {
          metrics.reportError('detach', error);
        }
      }
      release();
    },
  };
}
