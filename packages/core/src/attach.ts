import type { Registry } from 'prom-client';
import * as z from 'zod';
import { ParapetError, type ParapetErrorOptions } from './errors/parapet-error.js';
import { EVENT_FAMILIES, reportSubscriberFaults, subscribe } from './events/channels.js';
import type { EventFamily } from './events/types.js';
import { createMetricsHandler, type FetchHandler, type MetricsHandlerOptions } from './http/metrics-handler.js';
import { registryAttached } from './internal/attachments.js';
import { INTEGRATION_CLOSE_COMPONENT, recorderComponent } from './internal/components.js';
import { consoleLogger, type Logger } from './internal/logger.js';
import { parseOptions } from './internal/options.js';
import { closeable, type Closeable } from './lifecycle.js';
import { MetricsRuntime } from './metrics/runtime.js';
import type { MetricSink } from './metrics/sink.js';
import { recorders } from './recorders/families.js';
import { PromClientSink } from './sinks/prom-client.js';

/** What an integration gets when Parapet attaches it. */
export interface IntegrationContext {
  /** Bounded metrics of this attachment, for integration-specific metrics from the catalog. */
  readonly metrics: MetricsRuntime;
  /**
   * Count and log a failure the integration caught. Never throws. `component` is a public label
   * value: follow the scheme `<integration name>.<component>` (`bullmq.worker`).
   */
  reportError(component: string, error: unknown): void;
}

/** What `Integration.setup` may return to undo itself: a function, or a handle with `close()`. */
export type IntegrationTeardown = (() => void | Promise<void>) | { close(): void | Promise<void> };

/** @deprecated Use IntegrationTeardown (setup may also return a Closeable). Removed in the next minor. */
export type Teardown = () => void | Promise<void>;

/**
 * An integration connects one library or framework to Parapet (`@parapet/bullmq`, an auth
 * library, ...): `attach({ integrations: [...] })` calls its `setup`, which subscribes to the
 * library and publishes Parapet events, and returns how to undo that.
 */
export interface Integration {
  /** Unique, stable name (`bullmq`, `mailer`, ...); also the prefix of its component ids. */
  readonly name: string;
  setup(context: IntegrationContext): void | IntegrationTeardown;
}

export interface AttachOptions {
  /** Integrations to set up. Each one at most once per attachment, and in one live attachment. */
  integrations?: readonly Integration[];
  /** @deprecated The old name of `integrations`; removed in the next minor. */
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

export interface ParapetHandle extends Closeable {
  readonly metrics: MetricsRuntime;
  readonly sink: MetricSink;
  /** The prom-client registry when the sink is prom-client (serve it with `metricsHandler()`). */
  readonly registry: Registry | undefined;
  /** Names of the integrations set up by this attachment. */
  readonly integrations: readonly string[];
  /** @deprecated Use `integrations`. Removed in the next minor. */
  readonly adapters: readonly string[];
  /**
   * The /metrics endpoint for this attachment's registry: `createMetricsHandler({ ...options,
   * registry: handle.registry })`, so the handler always serves what this attachment records.
   * Throws for a non-prom-client sink (serve those with your exporter).
   */
  metricsHandler(options?: Omit<MetricsHandlerOptions, 'registry'>): FetchHandler;
  /**
   * Unsubscribe everything, tear integrations down and unregister metrics. Idempotent; also
   * `await using parapet = attach()`.
   */
  close(): Promise<void>;
  /** @deprecated Use `close()`. Removed in the next minor. */
  detach(): Promise<void>;
}

/** attach() was called wrongly: a bad integration, a registry already attached, a setup failure. */
export class AttachError extends ParapetError {
  override name = 'AttachError';
  constructor(message: string, options?: ParapetErrorOptions) {
    super('ATTACH_FAILED', message, options);
  }
}

const liveIntegrations = new Set<Integration>();
const liveRegistries = new WeakSet<Registry>();
let warnedAdapters = false;

const isFunction = (value: unknown): value is (...args: never[]) => unknown => typeof value === 'function';
const hasMethods = (value: unknown, ...methods: string[]): boolean =>
  typeof value === 'object' && value !== null && methods.every((m) => isFunction((value as Record<string, unknown>)[m]));

const attachSchema = z.strictObject({
  integrations: z.array(z.unknown()).optional(),
  adapters: z.array(z.unknown()).optional(),
  sink: z
    .custom<MetricSink>((v) => hasMethods(v, 'counter', 'histogram', 'gauge'), {
      message: 'must be a metric sink (an object with counter(), histogram() and gauge()), e.g. otelSink() from "@parapet/core/otel"',
    })
    .optional(),
  registry: z
    .custom<Registry>((v) => hasMethods(v, 'registerMetric', 'getSingleMetric', 'getMetricsAsArray'), {
      message: 'must be a prom-client Registry (`new Registry()` from "prom-client")',
    })
    .optional(),
  maxSeriesPerMetric: z.number().int().positive().optional(),
  families: z.array(z.enum(EVENT_FAMILIES)).optional(),
  logger: z
    .custom<Logger>((v) => hasMethods(v, 'warn', 'error'), { message: 'must be a logger with warn() and error() methods' })
    .optional(),
});

function describeIntegration(value: unknown): string {
  if (typeof value === 'string') return `the string "${value}"`;
  if (value === null || typeof value !== 'object') return String(value);
  const name = (value as { name?: unknown }).name;
  return typeof name === 'string' ? `an object named "${name}" without a setup() function` : 'an object without name and setup()';
}

function validateIntegrations(list: readonly unknown[], key: 'integrations' | 'adapters'): Integration[] {
  const names = new Set<string>();
  return list.map((item, i) => {
    const candidate = item as Partial<Integration> | null;
    if (!candidate || typeof candidate !== 'object' || typeof candidate.name !== 'string' || typeof candidate.setup !== 'function') {
      throw new AttachError(
        `attach(): ${key}[${i}] is ${describeIntegration(item)}, which is not a Parapet integration. ` +
          'Pass the integration object from its package, e.g. `import { bullmq } from "@parapet/bullmq"` then `integrations: [bullmq({ ... })]`.',
        { details: { option: `${key}[${i}]` } },
      );
    }
    if (names.has(candidate.name)) {
      throw new AttachError(`attach(): integration "${candidate.name}" is listed twice. List each integration once.`, { details: { integration: candidate.name } });
    }
    if (liveIntegrations.has(candidate as Integration)) {
      throw new AttachError(
        `attach(): integration "${candidate.name}" is already attached. Call close() on that handle before attaching it again.`,
        { details: { integration: candidate.name } },
      );
    }
    names.add(candidate.name);
    return candidate as Integration;
  });
}

/** The teardown an integration's setup returned, as a function (or undefined). */
function teardownOf(result: unknown): (() => void | Promise<void>) | undefined {
  if (typeof result === 'function') return result as () => void | Promise<void>;
  if (hasMethods(result, 'close')) return () => (result as { close(): void | Promise<void> }).close();
  return undefined;
}

/**
 * Attach Parapet: subscribe the catalog's recorders to every event family, then set up the
 * integrations. Returns a handle whose `close()` undoes all of it. A failure inside any Parapet
 * subscriber is caught and counted in `parapet_internal_errors_total`; it never reaches the
 * publisher.
 */
export function attach(options: AttachOptions = {}): ParapetHandle {
  const parsed = parseOptions(attachSchema, options, 'attach()');
  if (parsed.integrations && parsed.adapters) {
    throw new AttachError('attach(): pass `integrations` only; `adapters` is its deprecated old name.', { details: { option: 'adapters' } });
  }
  if (parsed.adapters && !warnedAdapters) {
    warnedAdapters = true;
    (parsed.logger ?? consoleLogger).warn('attach({ adapters }) is deprecated and will be removed in the next minor: rename it to attach({ integrations }).');
  }
  const integrations = parsed.adapters
    ? validateIntegrations(parsed.adapters, 'adapters')
    : validateIntegrations(parsed.integrations ?? [], 'integrations');
  const sink = parsed.sink ?? new PromClientSink(parsed.registry ? { registry: parsed.registry } : {});
  const registry = sink instanceof PromClientSink ? sink.registry : undefined;
  if (registry && liveRegistries.has(registry)) {
    throw new AttachError(
      'attach(): Parapet is already attached to this prom-client registry; recording twice would double every count. ' +
        'Call close() on the first handle, or pass a separate `registry`.',
    );
  }
  const metrics = new MetricsRuntime({
    sink,
    ...(parsed.maxSeriesPerMetric !== undefined && { maxSeriesPerMetric: parsed.maxSeriesPerMetric }),
    ...(parsed.logger && { logger: parsed.logger }),
  });
  const reportError = (component: string, error: unknown) => metrics.reportError(component, error);
  let releaseRegistry: (() => void) | undefined;
  if (registry) {
    liveRegistries.add(registry);
    releaseRegistry = registryAttached(registry);
  }

  const teardowns: Array<() => void | Promise<void>> = [reportSubscriberFaults(reportError)];
  for (const family of parsed.families ?? EVENT_FAMILIES) {
    const record = (recorders[family] as (rt: MetricsRuntime) => (event: unknown) => void)(metrics);
    const component = recorderComponent(family);
    teardowns.push(subscribe(family, record, { onError: (error) => metrics.reportError(component, error) }));
  }

  const context: IntegrationContext = { metrics, reportError };
  const attached: Integration[] = [];
  /** Free the integrations and the registry for another attach, and unregister the metrics. */
  const release = () => {
    for (const integration of attached) liveIntegrations.delete(integration);
    if (registry) liveRegistries.delete(registry);
    releaseRegistry?.();
    metrics.close();
  };
  try {
    for (const integration of integrations) {
      const teardown = teardownOf(integration.setup(context));
      liveIntegrations.add(integration);
      attached.push(integration);
      if (teardown) teardowns.push(teardown);
    }
  } catch (error) {
    // Leave nothing half-attached: undo what was set up, then explain.
    for (const teardown of teardowns.reverse()) void Promise.resolve().then(teardown).catch(() => {});
    release();
    const name = integrations[attached.length]?.name ?? 'unknown';
    throw new AttachError(`attach(): integration "${name}" failed to set up: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
      details: { integration: name },
    });
  }

  const names = integrations.map((i) => i.name);
  const handle = closeable(
    {
      metrics,
      sink,
      registry,
      integrations: names,
      adapters: names,
      metricsHandler(handlerOptions: Omit<MetricsHandlerOptions, 'registry'> = {}): FetchHandler {
        if (!registry) {
          throw new ParapetError(
            'INVALID_OPTIONS',
            `handle.metricsHandler(): this attachment records into a "${sink.kind}" sink, not a prom-client registry. ` +
              "Serve its metrics with that sink's exporter (e.g. the OpenTelemetry Prometheus exporter).",
          );
        }
        if (handlerOptions && typeof handlerOptions === 'object' && 'registry' in handlerOptions) {
          throw new ParapetError(
            'INVALID_OPTIONS',
            'handle.metricsHandler(): unknown option "registry": the handler serves this attachment\'s registry. ' +
              'Use createMetricsHandler({ registry }) to serve another one.',
            { details: { where: 'handle.metricsHandler()', option: 'registry' } },
          );
        }
        return createMetricsHandler({ ...handlerOptions, registry });
      },
    },
    async () => {
      for (const teardown of teardowns.reverse()) {
        try {
          await teardown();
        } catch (error) {
          metrics.reportError(INTEGRATION_CLOSE_COMPONENT, error);
        }
      }
      release();
    },
  );
  return Object.assign(handle, { detach: handle.close }) satisfies ParapetHandle;
}
