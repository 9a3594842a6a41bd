import { Queue, UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import { isProbe, runProbe, type Probe, type ProbeRunResult } from '@parapet/core';
import { BullmqOptionsError, ignoreErrors, safeReport, type ErrorReporter } from './errors.js';

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

export interface BullmqProbeScheduler {
  readonly queue: Queue;
  readonly worker: Worker;
  /** Close this process's worker (waits for its probe in flight) and queue. The shared schedule stays. */
  stop(): Promise<void>;
}

/** Scheduler ids are namespaced so they never collide with the host's own job schedulers. */
export const probeSchedulerId = (probe: string) => `parapet-probe:${probe}`;
const COMPONENT = 'bullmq.probes';

function validate(options: BullmqProbeSchedulerOptions): void {
  const fail = (what: string): never => {
    throw new BullmqOptionsError(`startBullmqProbeScheduler(): ${what}`);
  };
  if (typeof options !== 'object' || options === null) fail('pass { connection, probes, intervalMs }.');
  if (!options.connection) fail('connection is required (the same Redis connection options your queues use).');
  if (!Array.isArray(options.probes) || options.probes.length === 0) fail('probes must be a non-empty array of defineProbe() results.');
  const names = new Set<string>();
  options.probes.forEach((p, i) => {
    if (!isProbe(p)) fail(`probes[${i}] was not created with defineProbe() from @parapet/core.`);
    if (names.has(p.name)) fail(`probe "${p.name}" is listed twice.`);
    names.add(p.name);
  });
  const { intervalMs } = options;
  if (!(Number.isInteger(intervalMs) && intervalMs >= 100 && intervalMs <= 2_147_483_647)) {
    fail(`intervalMs must be a whole number of milliseconds of at least 100, got ${String(intervalMs)}.`);
  }
  for (const p of options.probes) {
    // A run that outlives the interval would overlap the next one, which another process may take.
    if (p.timeoutMs >= intervalMs) fail(`probe "${p.name}" has timeoutMs ${p.timeoutMs}, which must be below intervalMs ${intervalMs}.`);
  }
  if (options.queueName !== undefined && !(typeof options.queueName === 'string' && /^[^:\s]{1,100}$/.test(options.queueName))) {
    fail('queueName must be 1-100 characters without ":" or whitespace.');
  }
}

/**
 * Run probes on BullMQ job schedulers: one scheduler per probe (`every: intervalMs`), upserted by
 * every process, so N processes share one schedule and each probe runs once per interval on
 * whichever worker takes the job. Runs go through core's runProbe (timeout, `probe.run` event).
 */
export async function startBullmqProbeScheduler(options: BullmqProbeSchedulerOptions): Promise<BullmqProbeScheduler> {
  validate(options);
  const report = options.onError ?? ignoreErrors;
  const queueName = options.queueName ?? 'parapet-probes';
  const byName = new Map(options.probes.map((p) => [p.name, p]));
  const base = { connection: options.connection, ...(options.prefix !== undefined && { prefix: options.prefix }) };
  const longest = Math.max(...options.probes.map((p) => p.timeoutMs));

  const queue = new Queue(queueName, base);
  if (typeof queue.upsertJobScheduler !== 'function') {
    await queue.close();
    throw new BullmqOptionsError('startBullmqProbeScheduler(): this bullmq has no job schedulers (queue.upsertJobScheduler); it needs bullmq >= 5.16.');
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

  let stopping: Promise<void> | undefined;
  return {
    queue,
    worker,
    stop() {
      stopping ??= Promise.allSettled([worker.close()]).then(() => queue.close()).catch((error: unknown) => safeReport(report, COMPONENT, error));
      return stopping;
    },
  };
}
