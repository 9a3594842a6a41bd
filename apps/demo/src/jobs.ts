import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { publishJobRun } from '@parapet/core';
import { bullmq } from '@parapet/bullmq';

/** The receipt email a checkout enqueues. */
export interface ReceiptJob {
  to: string;
  order: string;
}

/** The background job runner: BullMQ (when Redis is reachable) or an in-process queue. */
export interface Jobs {
  kind: 'bullmq' | 'in-process';
  /** Integrations for `attach()`: BullMQ's publishes its job runs; the in-process queue publishes its own. */
  integrations: ReturnType<typeof bullmq>[];
  enqueue(job: ReceiptJob): Promise<void>;
  close(): Promise<void>;
}

export const QUEUE = 'emails';
export const JOB_NAME = 'send-receipt';

async function redisReachable(url: string): Promise<string | undefined> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    redis.disconnect();
  }
}

export async function startJobs(args: { redisUrl?: string; log: (line: string) => void; sendEmail: (to: string) => Promise<void> }): Promise<Jobs> {
  if (args.redisUrl) {
    const problem = await redisReachable(args.redisUrl);
    if (!problem) return startBullmq(args.redisUrl, args.sendEmail);
    args.log(`REDIS_URL is set but Redis is not reachable (${problem}): BullMQ is off, jobs run in-process.`);
  } else {
    args.log('no REDIS_URL, so BullMQ is off (set REDIS_URL to run the jobs on BullMQ)');
  }
  return startInProcess(args.sendEmail);
}

function startBullmq(redisUrl: string, sendEmail: (to: string) => Promise<void>): Jobs {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', () => {});
  const prefix = `parapet-demo-${process.pid}`;
  const queue = new Queue<ReceiptJob>(QUEUE, { connection, prefix });
  const worker = new Worker<ReceiptJob>(QUEUE, async (job) => sendEmail(job.data.to), { connection, prefix });
  worker.on('error', () => {}); // BullMQ needs a listener; Parapet never throws into it
  return {
    kind: 'bullmq',
    integrations: [bullmq({ workers: [worker], queues: [queue], jobNames: [JOB_NAME] })],
    async enqueue(job) {
      await queue.add(JOB_NAME, job, { removeOnComplete: 100, removeOnFail: 100 });
    },
    async close() {
      await worker.close();
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
      connection.disconnect();
    },
  };
}

function startInProcess(sendEmail: (to: string) => Promise<void>): Jobs {
  const pending = new Set<Promise<void>>();
  return {
    kind: 'in-process',
    integrations: [],
    enqueue(job) {
      const enqueued = performance.now();
      const run = (async () => {
        await new Promise((resolve) => setImmediate(resolve));
        const started = performance.now();
        let outcome: 'completed' | 'failed' = 'completed';
        try {
          await sendEmail(job.to);
        } catch {
          outcome = 'failed';
        }
        publishJobRun({ queue: QUEUE, job: JOB_NAME, outcome, attempt: 1, durationSeconds: (performance.now() - started) / 1000, waitSeconds: (started - enqueued) / 1000 });
      })();
      pending.add(run);
      void run.finally(() => pending.delete(run));
      return Promise.resolve();
    },
    async close() {
      await Promise.allSettled([...pending]);
    },
  };
}
