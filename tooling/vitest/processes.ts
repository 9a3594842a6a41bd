// Shared helpers for tests that start real processes and servers: a free port, polling on a
// condition (never a fixed sleep), and forking a TypeScript fixture. One copy for every package.
import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/** A free loopback port: bind port 0, read it, release it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface WaitForOptions {
  /** Give up after this long (default 30 s: generous, so a busy 2-core machine still passes). */
  timeoutMs?: number;
  /** Poll interval (default 25 ms). */
  everyMs?: number;
}

/**
 * Polls `check` until it returns a truthy value and resolves to it; a throwing check counts as
 * not yet. After the deadline, throws `timed out waiting for <what>` with the last error.
 */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, { timeoutMs = 30_000, everyMs = 25 }: WaitForOptions = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface ForkFixtureOptions {
  /** Working directory of the child (the package folder, so workspace packages resolve). */
  cwd: string;
  env?: Record<string, string>;
}

/**
 * Forks a TypeScript fixture through tsx with an IPC channel, resolving workspace packages from
 * source (the `parapet-source` condition).
 */
export function forkFixture(file: URL, { cwd, env = {} }: ForkFixtureOptions): ChildProcess {
  return fork(fileURLToPath(file), [], {
    cwd,
    env: { ...process.env, ...env },
    execArgv: ['--conditions=parapet-source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}
