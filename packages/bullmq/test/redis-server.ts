import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { exited } from './child.js';
import { waitFor } from './helpers.js';
import { freePort } from '@parapet/vitest-preset/processes';

export { freePort };


const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });

/** A throwaway redis-server this test owns: start, stop (SIGTERM) and start again on the same port. */
export class ThrowawayRedis {
  private process: ChildProcess | undefined;
  constructor(readonly port: number) {}

  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start() {
    this.process = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitFor(`redis-server on ${this.port}`, () => accepts(this.port), { timeoutMs: 5_000 });
  }

  async stop() {
    const p = this.process;
    this.process = undefined;
    if (!p) return;
    p.kill('SIGTERM');
    await exited(p);
  }
}
