/**
 * The one lifecycle shape: everything in Parapet that starts something (attach, schedulers,
 * samplers, servers, workers) returns a handle with `close()`, usable with `await using`.
 * `close()` is idempotent: the second call waits for the first and does nothing more.
 */
export interface Closeable {
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Makes `target` a Closeable whose `close()` runs `close` once. Returns `target` with `close`
 * and `Symbol.asyncDispose` added.
 */
export function closeable<T extends object>(target: T, close: () => void | Promise<void>): T & Closeable {
  let closing: Promise<void> | undefined;
  const once = (): Promise<void> => (closing ??= Promise.resolve().then(close));
  return Object.assign(target, { close: once, [Symbol.asyncDispose]: once });
}
