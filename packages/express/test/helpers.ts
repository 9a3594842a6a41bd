import type { AddressInfo } from 'node:net';
import type { HttpServerRequestEvent } from '@parapet/core';
import { subscribe } from '@parapet/core/integration';
import type express from 'express';

export type ExpressModule = typeof express;

/** Collect published HTTP events while the returned stop() is not called. */
export function collectEvents(): { events: HttpServerRequestEvent[]; stop: () => void } {
  const events: HttpServerRequestEvent[] = [];
  const stop = subscribe('http.server.request', (e) => events.push(e));
  return { events, stop };
}

/** Serve `app` on an ephemeral loopback port, run `fn`, close. */
export async function serving<T>(app: ReturnType<ExpressModule>, fn: (url: string) => Promise<T>): Promise<T> {
  const server = await new Promise<ReturnType<ReturnType<ExpressModule>['listen']>>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    return await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

/** GET each path (consuming bodies), then wait until `count` events arrived. */
export async function requestAll(url: string, paths: readonly string[], events: readonly unknown[], init: RequestInit = {}): Promise<void> {
  const before = events.length;
  for (const path of paths) await (await fetch(url + path, init)).arrayBuffer();
  const deadline = Date.now() + 15_000;
  while (events.length < before + paths.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
}
