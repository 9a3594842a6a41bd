import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { forkFixture as forkTsFixture } from '@parapet/vitest-preset/processes';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** Fork one of this package's TypeScript fixtures (`test/fixtures/<file>`) with an IPC channel. */
export const forkFixture = (file: string, env: Record<string, string>): ChildProcess =>
  forkTsFixture(new URL(`./fixtures/${file}`, import.meta.url), { cwd: packageDir, env });

/** Resolve with the first IPC message that satisfies `match`. */
export function nextMessage<T>(child: ChildProcess, match: (m: T) => boolean, timeoutMs = 15_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`child ${child.pid} sent no matching message within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (m: unknown) => {
      if (!match(m as T)) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(m as T);
    };
    child.on('message', onMessage);
  });
}

export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
