import { IncomingMessage, ServerResponse } from 'node:http';
import { Duplex } from 'node:stream';
import { getRequestListener } from '@hono/node-server';
import { prometheus } from '@hono/prometheus';
import { attach } from '@parapet/core';
import { Hono } from 'hono';
import { Registry } from 'prom-client';
import { instrument, parapet } from '../src/index.js';

/**
 * In-process companion to bench/run.ts: server CPU per request through @hono/node-server's
 * real request listener (its synchronous fast path included) and Node's real ServerResponse,
 * with the socket and the HTTP parser left out. A busy machine disturbs this far less than a
 * load test, so it shows small differences the load test cannot. Variants alternate in rounds.
 * `tsx --conditions parapet-source bench/fetch-path.ts` (ROUNDS, N env vars).
 */
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

const registry = new Registry();
attach({ registry });
const variants: Record<string, (app: Hono) => void> = {
  bare: () => {},
  'no-op middleware': (app) => app.use((_c, next) => next()),
  parapet: (app) => app.use(parapet()),
  'parapet instrument()': () => {},
  '@hono/prometheus': (app) => app.use('*', prometheus({ registry: new Registry() }).registerMetrics),
};
const selected = process.env.VARIANTS?.split(',') ?? Object.keys(variants);

const servers = selected.map((name) => {
  const app = new Hono();
  variants[name]!(app);
  app.get('/users/:id', (c) => c.json({ hello: 'world', id: c.req.param('id') }));
  if (name === 'parapet instrument()') instrument(app);
  return { name, listener: getRequestListener(app.fetch), micros: [] as number[] };
});

/** One GET /users/42 as Node's HTTP server hands it over: 'close' follows 'finish', as there. */
async function once(listener: ReturnType<typeof getRequestListener>): Promise<void> {
  const req = new IncomingMessage(socket as never);
  req.method = 'GET';
  req.url = '/users/42';
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

const N = Number(process.env.N ?? 100_000);
const rounds = Number(process.env.ROUNDS ?? 10);
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const s of servers) for (let i = 0; i < 30_000; i++) await once(s.listener); // warm-up
for (let round = 0; round < rounds; round++) {
  for (let k = 0; k < servers.length; k++) {
    const s = servers[(k + round) % servers.length]!;
    const before = process.cpuUsage();
    for (let i = 0; i < N; i++) await once(s.listener);
    const used = process.cpuUsage(before);
    s.micros.push((used.user + used.system) / N);
  }
}
const base = median(servers[0]!.micros);
console.log(`@hono/node-server listener in-process (no socket, no parser), Node ${process.version}, ${rounds} alternated rounds × ${N} GET /users/:id\n`);
console.log('| variant | CPU µs/request (median) | vs bare |\n|---|---:|---:|');
for (const s of servers) {
  const m = median(s.micros);
  console.log(`| ${s.name} | ${m.toFixed(2)} | ${s === servers[0] ? '—' : `+${(m - base).toFixed(2)} µs (${(((m - base) / base) * 100).toFixed(1)}%)`} |`);
}
