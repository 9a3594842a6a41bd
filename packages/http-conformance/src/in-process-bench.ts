import { IncomingMessage, ServerResponse } from 'node:http';
import { Duplex } from 'node:stream';

/**
 * In-process companion to the load-test harness: server CPU per request through a real Node
 * request listener (an Express app, or @hono/node-server's listener) with Node's real
 * IncomingMessage and ServerResponse, leaving out the socket and the HTTP parser. A busy machine
 * disturbs this far less than a load test, so it resolves differences of a microsecond. Variants
 * alternate in rounds, rotating the order.
 */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => unknown;

class DiscardingSocket extends Duplex {
  override _read(): void {}
  override _write(_chunk: unknown, _encoding: unknown, callback: () => void): void {
    callback();
  }
  override _writev(_chunks: unknown, callback: () => void): void {
    callback();
  }
}
const socket = new DiscardingSocket();

/** One GET as Node's HTTP server hands it over: 'close' follows 'finish', as there. */
async function once(listener: RequestListener, url: string): Promise<void> {
  const req = new IncomingMessage(socket as never);
  req.method = 'GET';
  req.url = url;
  req.headers = { host: '127.0.0.1' };
  req.rawHeaders = ['host', '127.0.0.1'];
  req.push(null);
  const res = new ServerResponse(req);
  res.assignSocket(socket as never);
  const closed = new Promise<void>((resolve) =>
    res.once('finish', () => {
      res.detachSocket(socket as never);
      res.emit('close');
      resolve();
    }),
  );
  await listener(req, res);
  await closed;
}

export interface InProcessOptions {
  variants: Record<string, RequestListener>;
  url: string;
  /** Requests per variant per round (default N env or 100,000). */
  requests?: number;
  rounds?: number;
  title: string;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs the rounds and prints a markdown table; the first variant is the baseline. */
export async function runInProcessBench(options: InProcessOptions): Promise<void> {
  const n = options.requests ?? Number(process.env.N ?? 100_000);
  const rounds = options.rounds ?? Number(process.env.ROUNDS ?? 10);
  const runs = Object.entries(options.variants).map(([name, listener]) => ({ name, listener, micros: [] as number[] }));
  for (const r of runs) for (let i = 0; i < 20_000; i++) await once(r.listener, options.url); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < runs.length; k++) {
      const r = runs[(k + round) % runs.length]!;
      const before = process.cpuUsage();
      for (let i = 0; i < n; i++) await once(r.listener, options.url);
      const used = process.cpuUsage(before);
      r.micros.push((used.user + used.system) / n);
    }
  }
  const base = median(runs[0]!.micros);
  console.log(`${options.title}, in-process (no socket, no parser), Node ${process.version}, ${rounds} alternated rounds × ${n} GET ${options.url}\n`);
  console.log('| variant | CPU µs/request (median) | vs baseline |\n|---|---:|---:|');
  for (const r of runs) {
    const m = median(r.micros);
    console.log(`| ${r.name} | ${m.toFixed(2)} | ${r === runs[0] ? '—' : `${m >= base ? '+' : ''}${(m - base).toFixed(2)} µs (${(((m - base) / base) * 100).toFixed(1)}%)`} |`);
  }
}
