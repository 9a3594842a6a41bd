/**
 * Jobs/s of a trivial BullMQ worker with and without Parapet, against the real Redis (REDIS_URL).
 * Each round runs three variants back to back in rotating order: bare, parapet, and bare again.
 * The bare-again/bare ratio is the noise floor of this machine during this run: a parapet/bare
 * ratio is only meaningful when that floor is well inside the 3 % goal. Also reported: the CPU
 * Parapet adds per completed job, measured in isolation, against the worker's CPU cost per job.
 *
 *   pnpm --filter @parapet/bullmq bench          (ROUNDS, JOBS, CONCURRENCY to override)
 */
import { attach } from '@parapet/core';
import { Worker } from 'bullmq';
import { Registry } from 'prom-client';
import { bullmq } from '../src/index.js';
import { round, type Variant } from './round.js';

const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const connection = { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
const ROUNDS = Number(process.env.ROUNDS ?? 24);
const JOBS = Number(process.env.JOBS ?? 4000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 20);
const VARIANTS: Variant[] = ['bare', 'parapet', 'bare_again'];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const pct = (ratio: number) => `${ratio.toFixed(3)} (${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)} %)`;

/**
 * Microseconds of CPU Parapet adds to one completed job: a Worker's 'completed' event emitted
 * with and without the instrumentation attached (same job object, same emitter), best of 5.
 */
async function eventCostMicros(): Promise<number> {
  const worker = new Worker('parapet-bench-events', async () => undefined, { connection, autorun: false });
  const now = Date.now();
  const job = { id: '1', name: 'send-email', timestamp: now - 50, processedOn: now - 10, finishedOn: now, attemptsMade: 1, attemptsStarted: 1, delay: 0, opts: {} };
  const n = 200_000;
  const cost = () => {
    let best = Infinity;
    for (let r = 0; r < 6; r++) {
      const before = process.cpuUsage();
      for (let i = 0; i < n; i++) worker.emit('completed', job as never, undefined, 'active');
      const cpu = process.cpuUsage(before);
      if (r > 0) best = Math.min(best, (cpu.user + cpu.system) / n); // r = 0 warms up
    }
    return best;
  };
  const bare = cost();
  const handle = attach({ registry: new Registry(), integrations: [bullmq({ workers: [worker], jobNames: ['send-email'] })] });
  const instrumented = cost();
  await handle.close();
  await worker.close();
  return instrumented - bare;
}

console.log(`bullmq worker throughput: ${ROUNDS} rounds × ${JOBS} jobs per variant, concurrency ${CONCURRENCY}, Node ${process.version}`);
for (const v of VARIANTS) await round(v, connection, JOBS, CONCURRENCY); // warm-up: scripts loaded, JIT warm

const wall: Record<Variant, number[]> = { bare: [], parapet: [], bare_again: [] };
const cpu: Record<Variant, number[]> = { bare: [], parapet: [], bare_again: [] };
for (let i = 0; i < ROUNDS; i++) {
  const order = VARIANTS.map((_, k) => VARIANTS[(i + k) % VARIANTS.length]!);
  for (const v of order) {
    const r = await round(v, connection, JOBS, CONCURRENCY);
    wall[v].push(r.jobsPerSecond);
    cpu[v].push(r.jobsPerCpuSecond);
  }
}
const ratio = (of: Record<Variant, number[]>, v: Variant) => median(of[v].map((x, i) => x / of.bare[i]!));

const judge = (what: string, measured: number, floor: number) => {
  const noisy = Math.abs(floor - 1) > 0.03;
  const verdict = noisy ? 'machine too noisy to resolve 3 % (noise floor beyond ±3 %)' : measured >= 0.97 ? 'within the 3 % goal' : 'OUTSIDE the 3 % goal';
  console.log(`${what}: parapet/bare ${pct(measured)}, noise floor bare-again/bare ${pct(floor)} → ${verdict}`);
};
console.log(`median jobs/s: bare ${median(wall.bare).toFixed(0)}, parapet ${median(wall.parapet).toFixed(0)}, bare again ${median(wall.bare_again).toFixed(0)}`);
judge('wall clock (jobs/s)', ratio(wall, 'parapet'), ratio(wall, 'bare_again'));
judge('CPU (jobs per CPU-second)', ratio(cpu, 'parapet'), ratio(cpu, 'bare_again'));
const perJob = 1e6 / median(cpu.bare);
const perEvent = await eventCostMicros();
console.log(`CPU per job (bare worker): ${perJob.toFixed(1)} µs; Parapet adds per job in isolation: ${perEvent.toFixed(2)} µs (${((perEvent / perJob) * 100).toFixed(1)} %)`);
