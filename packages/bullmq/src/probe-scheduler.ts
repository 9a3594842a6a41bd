import { Queue, UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import { runProbe, type Probe, type ProbeRunResult } from '@parapet/core';
import { closeable, describeValue, isProbe, type Closeable } from '@parapet/core/integration';
import * as z from 'zod';
import { BullmqOptionsError, ignoreErrors, parseBullmqOptions, safeReport, type ErrorReporter } from './errors.js';
import { errorReporter, milliseconds } from './options.js';

export interface BullmqProbeSchedulerOptions {
  /** Redis connection for the probe queue and its worker (bullmq's ConnectionOptions). */
  connection: ConnectionOptions;
  probes: readonly Probe[];
  /** Each probe runs once per interval across all processes sharing the queue. */
  intervalMs: number;
  /** Default `parapet-probes`. Every process sharing it must register the same probes. */
  queueName?: string;
  /** bullmq key prefix (default bullmq's `bull`). */
  prefix?: string;
  onError?: ErrorReporter;
}

export interface BullmqProbeScheduler extends Closeable {
  readonly queue: Queue;
  readonly worker: Worker;
  /** Close this process's worker (waits for its probe in flight) and queue. The shared schedule stays. Idempotent. */
  close(): Promise<void>;
  /** @deprecated Use `close()`. Removed in the next minor. */
  stop(): Promise<void>;
}

/** Scheduler ids are namespaced so they never collide with the host's own job schedulers. */
export const probeSchedulerId = (probe: string) => `parapet-probe:${probe}`;
const COMPONENT = 'bullmq.probes';

const WHERE = 'startBullmqProbeScheduler()';
const schedulerSchema = z
  .strictObject({
    connection: z.custom<ConnectionOptions>((v) => typeof v === 'object' && v !== null, {
      error: 'is required: the same Redis connection options your queues use ({ host, port, maxRetriesPerRequest: null } or an ioredis instance)',
    }),
    probes: z
      .array(z.custom<Probe>(isProbe, { error: (issue) => `was not created with defineProbe() from @parapet/core (got ${describeValue(issue.input)})` }))
      .min(1, { error: 'must be a non-empty array of defineProbe() results' }),
    intervalMs: milliseconds(100),
    queueName: z
      .custom<string>((v) => typeof v === 'string' && /^[^:\s]{1,100}$/.test(v), { error: 'must be 1-100 characters without ":" or whitespace' })
      .optional(),
    prefix: z.string().optional(),
    onError: errorReporter.optional(),
  })
  .superRefine((options, ctx) => {
    const names = new Set<string>();
    for (const probe of options.probes) {
      if (names.has(probe.name)) ctx.addIssue({ code: 'custom', path: ['probes'], message: `probe "${probe.name}" is listed twice` });
      names.add(probe.name);
      // A run that outlives the interval would overlap the next one, which another process may take.
      if (probe.timeoutMs >= options.intervalMs) {
        ctx.addIssue({
          code: 'custom',
          path: ['probes'],
          message: `probe "${probe.name}" has timeoutMs ${probe.timeoutMs}, which must be below intervalMs ${options.intervalMs}`,
        });
      }
    }
  });

/**
 * Run probes on BullMQ job schedulers: one scheduler per probe (`every: intervalMs`), upserted by
 * every process, so N processes share one schedule and each probe runs once per interval on
 * whichever worker takes the job. Runs go through core's runProbe (timeout, `probe.run` event).
 */
export async function startBullmqProbeScheduler(options: BullmqProbeSchedulerOptions): Promise<BullmqProbeScheduler> {
  options = parseBullmqOptions(schedulerSchema, options, WHERE);
  const report = options.onError ?? ignoreErrors;
  const queueName = options.queueName ?? 'parapet-probes';
  const byName = new Map(options.probes.map((p) => [p.name, p]));
  const base = { connection: options.connection, ...(options.prefix !== undefined && { prefix: options.prefix }) };
  const longest = Math.max(...options.probes.map((p) => p.timeoutMs));

  const queue = new Queue(queueName, base);
  if (typeof queue.upsertJobScheduler !== 'function') {
    await queue.close();
    throw new BullmqOptionsError(`${WHERE}: this bullmq has no job schedulers (queue.upsertJobScheduler); it needs bullmq >= 5.16.`);
  }
  queue.on('error', (error) => safeReport(report, COMPONENT, error));
  const worker = new Worker<unknown, ProbeRunResult>(
    queueName,
    async (job) => {
      const probe = byName.get(job.name);
      // Another process registered a probe this one does not know: fail the job, do not retry it here.
      if (!probe) throw new UnrecoverableError(`unknown probe "${job.name}"; every process sharing "${queueName}" must register the same probes`);
      return runProbe(probe);
    },
    {
      ...base,
      concurrency: byName.size,
      // The lock must outlive the longest probe, or a slow probe would be reported stalled.
      lockDuration: Math.max(30_000, longest * 2),
      autorun: false,
    },
  );
  worker.on('error', (error) => safeReport(report, COMPONENT, error));
  worker.on('failed', (_job, error) => safeReport(report, COMPONENT, error));

  try {
    for (const probe of options.probes) {
      await queue.upsertJobScheduler(
        probeSchedulerId(probe.name),
        { every: options.intervalMs },
        { name: probe.name, data: {}, opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 } },
      );
    }
  } catch (error) {
    await Promise.allSettled([worker.close(), queue.close()]);
    throw error;
  }
  void worker.run().catch((error: unknown) => safeReport(report, COMPONENT, error));

  const scheduler = closeable({ queue, worker }, () =>
    Promise.allSettled([worker.close()]).then(() => queue.close()).catch((error: unknown) => safeReport(report, COMPONENT, error)),
  );
  return Object.assign(scheduler, { stop: scheduler.close });
}
