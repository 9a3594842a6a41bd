import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** Fork a TypeScript fixture through tsx, resolving workspace packages from source. */
export function forkFixture(file: string, env: Record<string, string>): ChildProcess {
  return fork(fileURLToPath(new URL(`./fixtures/${file}`, import.meta.url)), [], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    execArgv: ['--conditions=parapet-source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

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
