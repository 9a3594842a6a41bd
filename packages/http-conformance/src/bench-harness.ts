import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';

/**
 * Benchmark harness for the HTTP adapters. Each variant's server runs in its own process; the
 * load comes from autocannon in this (separate) process over loopback, so load generation
 * never shares an event loop with a server. All servers stay up and the variants take turns in
 * short slices, rotating the order every round: on a shared or noisy machine a neighbour's
 * burst then hits every variant alike. Reported: medians over the rounds, and the median of the
 * per-round ratios to the baseline (each ratio compares slices measured seconds apart).
 * Throughput on a busy machine is noisy, so each server also reports the CPU time it spent,
 * giving CPU microseconds per request: a steadier measure of what the middleware costs.
 */

/** Call in a benchmark server: answers the harness's CPU-usage queries over the IPC channel. */
export function answerCpuQueries(): void {
  process.on('message', () => process.send?.(process.cpuUsage()));
}
export interface BenchOptions {
  /** Script that starts one variant's server: argv[2] is the variant; it prints `ready <port>`. */
  serverScript: string;
  variants: readonly string[];
  /** The variant ratios are computed against. */
  baseline: string;
  path: string;
  rounds?: number;
  sliceSeconds?: number;
  connections?: number;
  /** Extra node arguments for the servers (e.g. the tsx loader). */
  nodeArgs?: readonly string[];
}

export interface BenchRow {
  variant: string;
  reqPerSec: number;
  p99Ms: number;
  /** Median over rounds of (this variant's req/s ÷ baseline's req/s in the same round). */
  ratio: number;
  /** Median server CPU time (user + system) per request, in microseconds. */
  cpuMicros: number;
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p99: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * With `taskset` and two or more cores, the load generator (this process) runs on core 0 and
 * every server on core 1, so the two never compete for a core and a round measures the server,
 * not the scheduler. Without it, both float (and the run says so).
 */
function cpuPinning(): { server: string[] } | undefined {
  if (availableParallelism() < 2) return undefined;
  try {
    execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
    return { server: ['taskset', '-c', '1'] };
  } catch {
    return undefined;
  }
}

let pinning: { server: string[] } | undefined | null = null;

function startServer(options: BenchOptions, variant: string): Promise<{ child: ChildProcess; port: number }> {
  if (pinning === null) {
    pinning = cpuPinning();
    console.log(pinning ? 'CPU pinning: load generator on core 0, servers on core 1' : 'CPU pinning unavailable: load generator and servers share cores (noisier)');
  }
  const [command, ...prefix] = [...(pinning?.server ?? []), process.execPath];
  const child = spawn(command!, [...prefix, ...(options.nodeArgs ?? []), options.serverScript, variant], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', (code) => reject(new Error(`${variant} server exited (${code}) before it was ready`)));
  });
}

export async function runBench(options: BenchOptions): Promise<BenchRow[]> {
  const autocannon = createRequire(`${process.cwd()}/`)('autocannon') as Autocannon;
  const rounds = options.rounds ?? 12;
  const seconds = options.sliceSeconds ?? 3;
  const connections = options.connections ?? 50;
  const servers = new Map<string, { child: ChildProcess; port: number }>();
  const rps = new Map<string, number[]>(options.variants.map((v) => [v, []]));
  const p99 = new Map<string, number[]>(options.variants.map((v) => [v, []]));
  const cpu = new Map<string, number[]>(options.variants.map((v) => [v, []]));
  const cpuOf = (variant: string) =>
    new Promise<number>((resolve) => {
      const child = servers.get(variant)!.child;
      child.once('message', (usage: NodeJS.CpuUsage) => resolve(usage.user + usage.system));
      child.send('cpu');
    });
  const load = async (variant: string, duration: number) => {
    const result = await autocannon({ url: `http://127.0.0.1:${servers.get(variant)!.port}${options.path}`, connections, duration });
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${variant}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    return result;
  };
  try {
    for (const variant of options.variants) servers.set(variant, await startServer(options, variant));
    for (const variant of options.variants) await load(variant, 2); // warm-up: JIT, connections
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < options.variants.length; i++) {
        const variant = options.variants[(i + round) % options.variants.length]!;
        const cpuBefore = await cpuOf(variant);
        const result = await load(variant, seconds);
        const cpuAfter = await cpuOf(variant);
        cpu.get(variant)!.push((cpuAfter - cpuBefore) / result.requests.total);
        rps.get(variant)!.push(result.requests.average);
        p99.get(variant)!.push(result.latency.p99);
      }
      process.stderr.write(`round ${round + 1}/${rounds}: ${options.variants.map((v) => `${v} ${Math.round(rps.get(v)!.at(-1)!)}`).join(', ')}\n`);
    }
  } finally {
    for (const { child } of servers.values()) child.kill();
  }
  const base = rps.get(options.baseline)!;
  return options.variants.map((variant) => ({
    variant,
    reqPerSec: median(rps.get(variant)!),
    p99Ms: median(p99.get(variant)!),
    ratio: median(rps.get(variant)!.map((r, i) => r / base[i]!)),
    cpuMicros: median(cpu.get(variant)!),
  }));
}

const percent = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

export function formatTable(rows: readonly BenchRow[], title: string): string {
  const baseCpu = rows[0]!.cpuMicros;
  return [
    title,
    '',
    '| variant | req/s (median) | p99 ms (median) | req/s vs bare (median of per-round ratios) | server CPU µs/request | CPU vs bare |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r, i) =>
        `| ${r.variant} | ${Math.round(r.reqPerSec)} | ${r.p99Ms} | ${i === 0 ? '—' : percent(r.ratio - 1)} | ${r.cpuMicros.toFixed(1)} | ${i === 0 ? '—' : percent(r.cpuMicros / baseCpu - 1)} |`,
    ),
  ].join('\n');
}
