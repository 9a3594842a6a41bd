import { type EventFamily, type EventPayloads } from '@parapet/core';
import { subscribe } from '@parapet/core/integration';

/** Collect the events published on some families while a test runs. */
export function recordEvents<F extends EventFamily>(...families: F[]) {
  const events: { [K in F]: EventPayloads[K][] } = Object.fromEntries(families.map((f) => [f, []])) as never;
  const stops = families.map((family) => subscribe(family, (event: unknown) => (events[family] as unknown[]).push(event)));
  return { events, stop: () => stops.forEach((s) => s()) };
}

