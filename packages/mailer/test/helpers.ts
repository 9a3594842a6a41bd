import { type EventFamily, type EventPayloads } from '@parapet/core';
import { subscribe } from '@parapet/core/integration';

/** Collect the events published on some families while a test runs. */
export function recordEvents<F extends EventFamily>(...families: F[]) {
  const events: { [K in F]: EventPayloads[K][] } = Object.fromEntries(families.map((f) => [f, []])) as never;
  const stops = families.map((family) => subscribe(family, (event: unknown) => (events[family] as unknown[]).push(event)));
  return { events, stop: () => stops.forEach((s) => s()) };
}

/** Poll until `check` returns true; fail after `ms` with `what`. */
export async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
