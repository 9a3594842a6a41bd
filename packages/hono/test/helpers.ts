import type { HttpServerRequestEvent } from '@parapet/core';
import { subscribe } from '@parapet/core/integration';

/** Collect published HTTP events until stop() is called. */
export function collectEvents(): { events: HttpServerRequestEvent[]; stop: () => void } {
  const events: HttpServerRequestEvent[] = [];
  const stop = subscribe('http.server.request', (e) => events.push(e));
  return { events, stop };
}
