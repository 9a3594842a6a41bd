import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { Registry } from 'prom-client';
import { ParapetError } from '../../errors/parapet-error.js';
import { signStandardWebhook } from '../../http/standard-webhooks.js';
import { consoleLogger, type Logger } from '../../internal/logger.js';
import { parseOptions } from '../../internal/options.js';
import { closeable, type Closeable } from '../../lifecycle.js';
import { PAGE_SEVERITY, type AlertKind } from '../conventions.js';
import { resolveConfig, type ResolvedConfig } from '../model/define.js';
import { durationMinutes } from '../model/duration.js';
import type { ParapetConfig } from '../model/spec.js';
import { SloEvaluator, type ActiveAlert } from './evaluator.js';
import { alertmanagerPayloads, sloAlert, type SloAlert, type SloAlertIngest } from './payload.js';
import type { MetricSample } from './series.js';

export interface SloMonitorWebhook {
  /** Receiver URL. The body is an Alertmanager version 4 payload, so Parapet's own webhook accepts it too. */
  readonly url: string;
  /** Standard Webhooks signing secret (`whsec_<base64>`); every delivery carries webhook-id/-timestamp/-signature. */
  readonly secret: string;
  /** Extra request headers (e.g. Authorization for Parapet's Alertmanager webhook). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per-request timeout. Default 10 s. */
  readonly timeoutMs?: number;
}

export interface SloMonitorOptions {
  /** The same config `parapet gen` reads (slices, windows, minBadEvents). */
  readonly config: ParapetConfig | ResolvedConfig;
  /** The attach() handle: the monitor reads the counters it records from its prom-client registry. */
  readonly parapet?: { readonly registry: Registry | undefined };
  /** Or a prom-client registry directly. */
  readonly registry?: Registry;
  /** Or any other source of samples (an OpenTelemetry reader, tests). */
  readonly read?: () => readonly MetricSample[] | Promise<readonly MetricSample[]>;
  /** Deliver into the evidence store: `createSloAlertIngest({ store })` from @parapet/evidence-pg. */
  readonly evidence?: SloAlertIngest;
  /** Deliver to a webhook signed with Standard Webhooks. */
  readonly webhook?: SloMonitorWebhook;
  /** Called with every batch of alert state changes (after evidence and webhook). */
  readonly onAlerts?: (alerts: readonly SloAlert[]) => void | Promise<void>;
  /** How often the timer checks for a new minute. Evaluations happen once per minute. Default 15000. */
  readonly tickMs?: number;
  /**
   * Debounce: a firing alert resolves only after its condition has been false this many minutes
   * in a row; a re-fire inside that time sends nothing. Default 5 (Alertmanager's group_interval).
   */
  readonly resolveAfterMinutes?: number;
  /** Written into each alert's generatorURL and the payload's externalURL. */
  readonly externalUrl?: string;
  readonly logger?: Logger;
  /** Clock in epoch milliseconds (tests). Default Date.now. */
  readonly now?: () => number;
}

/** What one evaluation decided, for inspection and tests. */
export interface SloMonitorEvaluation {
  readonly minute: number;
  readonly active: readonly ActiveAlert[];
  /** State changes delivered (or queued) by this evaluation. */
  readonly changes: readonly SloAlert[];
}

export interface SloMonitor extends Closeable {
  /** Reads the counters and evaluates now if a new minute has begun (the timer calls this). */
  evaluate(): Promise<SloMonitorEvaluation | undefined>;
  /** Alerts currently firing, as delivered. */
  firing(): readonly SloAlert[];
  /** Bytes of window state held (bounded: independent of traffic). */
  readonly stateBytes: number;
  /** Resolves once the start-up re-seed from the evidence store has finished. */
  readonly ready: Promise<void>;
}

const schema = z.strictObject({
  config: z.custom<ParapetConfig | ResolvedConfig>((v) => typeof v === 'object' && v !== null, 'must be a Parapet config (defineConfig({ providers }))'),
  parapet: z.custom<{ registry: Registry | undefined }>((v) => typeof v === 'object' && v !== null && 'registry' in v, 'must be the handle attach() returned').optional(),
  registry: z.custom<Registry>((v) => typeof (v as Registry)?.getMetricsAsJSON === 'function', 'must be a prom-client Registry').optional(),
  read: z.function().optional(),
  evidence: z
    .custom<SloAlertIngest>((v) => typeof (v as SloAlertIngest)?.ingest === 'function' && typeof (v as SloAlertIngest)?.firing === 'function', 'must be createSloAlertIngest({ store }) from @parapet/evidence-pg')
    .optional(),
  webhook: z
    .strictObject({
      url: z.url(),
      secret: z.string().min(8, 'must be a Standard Webhooks secret such as whsec_<base64>'),
      headers: z.record(z.string(), z.string()).optional(),
      timeoutMs: z.number().int().positive().optional(),
    })
    .optional(),
  onAlerts: z.function().optional(),
  tickMs: z.number().int().positive().default(15_000),
  resolveAfterMinutes: z.number().int().nonnegative().default(5),
  externalUrl: z.string().default(''),
  logger: z.custom<Logger>((v) => typeof (v as Logger)?.warn === 'function' && typeof (v as Logger)?.error === 'function', 'must be a logger with warn() and error()').optional(),
  now: z.function().optional(),
});

/** Reads every sample of a prom-client registry (counters, histogram series, gauges). */
export async function registrySamples(registry: Registry): Promise<MetricSample[]> {
  const out: MetricSample[] = [];
  for (const metric of await registry.getMetricsAsJSON()) {
    for (const v of metric.values as { labels: Record<string, string | number>; value: number; metricName?: string }[]) {
      const labels: Record<string, string> = {};
      for (const [k, value] of Object.entries(v.labels)) labels[k] = String(value);
      out.push({ name: v.metricName ?? metric.name, labels, value: v.value });
    }
  }
  return out;
}

interface Tracked {
  alert: SloAlert;
  kind: AlertKind;
  /** Minute the condition was last true. */
  lastTrue: number;
  /** Seeded from the evidence store: hold until the monitor has watched long enough to judge it. */
  holdUntil: number;
}

const isResolved = (c: ParapetConfig | ResolvedConfig): c is ResolvedConfig => Array.isArray((c as ResolvedConfig).slices);

/**
 * Burn-rate alerting in process, without Prometheus: evaluates every slice's page, ticket and
 * no-data alerts once per minute with the generated rules' thresholds, windows, minimum-evidence
 * guard and no-data rule, and delivers edge-triggered, debounced state changes to the evidence
 * store and/or a signed webhook. One process: see docs/alerting-without-prometheus.md.
 */
export function startSloMonitor(options: SloMonitorOptions): SloMonitor {
  const opts = parseOptions(schema, options, 'startSloMonitor()');
  const logger = opts.logger ?? consoleLogger;
  const now = (opts.now as (() => number) | undefined) ?? Date.now;
  const sources = [opts.parapet, opts.registry, opts.read].filter((s) => s !== undefined).length;
  if (sources !== 1) {
    throw new ParapetError('INVALID_OPTIONS', 'startSloMonitor(): pass exactly one counter source: `parapet` (the attach() handle), `registry` or `read`.', { details: { where: 'startSloMonitor()', option: 'parapet' } });
  }
  const registry = opts.parapet ? opts.parapet.registry : opts.registry;
  if (opts.parapet && !registry) {
    throw new ParapetError('INVALID_OPTIONS', 'startSloMonitor(): this attachment records into a non-prom-client sink; pass `read` with a function returning its samples.', { details: { where: 'startSloMonitor()', option: 'parapet' } });
  }
  const read = registry ? () => registrySamples(registry) : (opts.read as () => readonly MetricSample[] | Promise<readonly MetricSample[]>);
  if (!opts.evidence && !opts.webhook && !opts.onAlerts) {
    throw new ParapetError('INVALID_OPTIONS', 'startSloMonitor(): pass somewhere to deliver alerts: `evidence` (createSloAlertIngest from @parapet/evidence-pg), `webhook` ({ url, secret }) or `onAlerts`.', { details: { where: 'startSloMonitor()', option: 'evidence' } });
  }
  const resolved = isResolved(opts.config) ? opts.config : resolveConfig(opts.config);
  const evaluator = new SloEvaluator(resolved.slices, resolved.windows);
  /** Minutes until every short window of a kind's pairs has been watched in full (5 for no-data). */
  const longestShort = (kind: AlertKind) => {
    const pairs = kind === 'page' ? resolved.windows.page : kind === 'ticket' ? resolved.windows.ticket : [];
    return Math.max(5, ...pairs.map((p) => durationMinutes(p.short)));
  };
  const tracked = new Map<string, Tracked>();
  let pending: SloAlert[] = [];
  let lastMinute = -1;
  let running: Promise<SloMonitorEvaluation | undefined> | undefined;
  let closed = false;
  const iso = (minute: number) => new Date(minute * 60_000).toISOString();

  const ready = (async () => {
    if (!opts.evidence) return;
    try {
      const minute = Math.floor(now() / 60_000);
      for (const alert of await opts.evidence.firing()) {
        const slice = alert.labels.slo;
        if (!slice || !evaluator.slices.some((s) => s.name === slice)) continue;
        const kind: AlertKind = alert.labels.alertname?.endsWith('NoData') ? 'nodata' : alert.labels.severity === PAGE_SEVERITY && !alert.labels.alertname?.endsWith('Ticket') ? 'page' : 'ticket';
        tracked.set(alert.fingerprint, { alert, kind, lastTrue: minute, holdUntil: minute + longestShort(kind) });
      }
    } catch (error) {
      logger.warn('SLO monitor: could not re-seed firing alerts from the evidence store; alerts still firing there will be re-delivered when they fire again (ingest dedupes them).', { error: String(error) });
    }
  })();

  async function deliver(batch: readonly SloAlert[]): Promise<boolean> {
    let ok = true;
    if (opts.evidence) {
      try {
        await opts.evidence.ingest(batch);
      } catch (error) {
        ok = false;
        logger.warn('SLO monitor: evidence ingest failed; retrying at the next evaluation.', { error: String(error) });
      }
    }
    if (opts.webhook && ok) {
      const { url, secret, headers, timeoutMs } = opts.webhook;
      for (const payload of alertmanagerPayloads(batch, { externalURL: opts.externalUrl })) {
        const body = JSON.stringify(payload);
        const id = `msg_${createHash('sha256').update(body).digest('hex').slice(0, 24)}`;
        const timestamp = Math.floor(now() / 1000);
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signStandardWebhook({ id, timestamp, body, secret }) },
            body,
            signal: AbortSignal.timeout(timeoutMs ?? 10_000),
          });
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
        } catch (error) {
          ok = false;
          logger.warn(`SLO monitor: webhook delivery to ${url} failed; retrying at the next evaluation.`, { error: String(error) });
          break;
        }
      }
    }
    if (ok && opts.onAlerts) {
      try {
        await (opts.onAlerts as (a: readonly SloAlert[]) => unknown)(batch);
      } catch (error) {
        logger.warn('SLO monitor: onAlerts threw.', { error: String(error) });
      }
    }
    return ok;
  }

  async function evaluateOnce(): Promise<SloMonitorEvaluation | undefined> {
    await ready;
    const minute = Math.floor(now() / 60_000);
    if (minute <= lastMinute || closed) return undefined;
    lastMinute = minute;
    evaluator.observe(minute, await read());
    const active = evaluator.evaluate(minute);
    const changes: SloAlert[] = [];
    const seen = new Set<string>();
    for (const a of active) {
      const fresh = sloAlert({ labels: a.labels, annotations: a.annotations, startsAt: iso(minute), generatorURL: opts.externalUrl });
      seen.add(fresh.fingerprint);
      const t = tracked.get(fresh.fingerprint);
      if (t) t.lastTrue = minute;
      else {
        tracked.set(fresh.fingerprint, { alert: fresh, kind: a.kind, lastTrue: minute, holdUntil: minute });
        changes.push(fresh);
      }
    }
    for (const [fingerprint, t] of tracked) {
      if (seen.has(fingerprint) || minute < t.holdUntil) continue;
      if (minute - t.lastTrue >= Math.max(1, opts.resolveAfterMinutes)) {
        tracked.delete(fingerprint);
        changes.push({ ...t.alert, status: 'resolved', endsAt: iso(minute) });
      }
    }
    const batch = [...pending, ...changes];
    if (batch.length > 0) {
      const ok = await deliver(batch);
      // Keep at most one retry queue's worth (bounded: twice the tracked alerts plus this batch).
      pending = ok ? [] : batch.slice(-Math.max(100, tracked.size * 2));
    }
    return { minute, active, changes };
  }

  const evaluate = () => {
    const run = (running ?? Promise.resolve(undefined)).then(evaluateOnce, evaluateOnce);
    running = run.catch((error: unknown) => {
      logger.error('SLO monitor: evaluation failed; the next tick tries again.', { error: String(error) });
      return undefined;
    });
    return run;
  };
  const timer = setInterval(() => void evaluate().catch(() => {}), opts.tickMs);
  timer.unref?.();
  void evaluate().catch(() => {});

  return closeable(
    {
      evaluate,
      firing: () => [...tracked.values()].map((t) => t.alert),
      get stateBytes() {
        return evaluator.bytes;
      },
      ready,
    },
    async () => {
      closed = true;
      clearInterval(timer);
      await running;
    },
  );
}
