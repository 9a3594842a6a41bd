import { randomBytes } from 'node:crypto';
import { attach } from '@parapet/core';
import { Queue, Worker } from 'bullmq';
import { Registry } from 'prom-client';
import { bullmq } from '../src/index.js';

export type Variant = 'bare' | 'parapet' | 'bare_again';
export interface RoundResult { jobsPerSecond: number; jobsPerCpuSecond: number }

const JOB_NAMES = ['send-email', 'charge', 'resize-image', 'sync-crm'];

/** Fill a fresh queue, then time one trivial worker draining it (wall clock and this process's CPU). */
export async function round(variant: Variant, connection: object, jobs: number, concurrency: number): Promise<RoundResult> {
  const name = `parapet-bench-${randomBytes(4).toString('hex')}`;
  const queue = new Queue(name, { connection });
  await queue.addBulk(Array.from({ length: jobs }, (_, i) => ({ name: JOB_NAMES[i % JOB_NAMES.length]!, data: { i }, opts: { removeOnComplete: true } })));
  const worker = new Worker(name, async () => 'ok', { connection, concurrency, autorun: false });
  const handle = variant === 'parapet'
    ? attach({ registry: new Registry(), integrations: [bullmq({ workers: [worker], queues: [queue], jobNames: JOB_NAMES })] })
    : undefined;
  let done = 0;
  const finished = new Promise<void>((resolve) => {
    worker.on('completed', () => {
      if (++done === jobs) resolve();
    });
  });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  void worker.run();
  await finished;
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await handle?.close();
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return { jobsPerSecond: jobs / seconds, jobsPerCpuSecond: jobs / ((cpu.user + cpu.system) / 1e6) };
}
