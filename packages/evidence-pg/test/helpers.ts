import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { forkFixture as forkTsFixture } from '@parapet/vitest-preset/processes';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** Fork one of this package's TypeScript fixtures (`test/fixtures/<file>`) with an IPC channel. */
export const forkFixture = (file: string, env: Record<string, string>): ChildProcess =>
  forkTsFixture(new URL(`./fixtures/${file}`, import.meta.url), { cwd: packageDir, env });

/** Resolve with the first IPC message that satisfies `match` (reject if the child exits first). */
export function nextMessage<T>(child: ChildProcess, match: (m: T) => boolean): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`child ${child.pid} exited (${code}) before sending the expected message`));
    const onMessage = (m: unknown) => {
      if (!match(m as T)) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m as T);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
