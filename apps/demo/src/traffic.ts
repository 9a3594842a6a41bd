/** The built-in traffic generator: a steady trickle of logins, checkouts and API reads. */
export interface Traffic {
  close(): Promise<void>;
}

/**
 * Every 1/rate seconds a login (and every other tick a checkout and a users read) against the
 * demo itself, so the SLOs always have traffic. Failures are the server's business (the switch).
 */
export function startTraffic(args: { base: string; rate: number; user: { email: string; password: string } }): Traffic {
  let tick = 0;
  const inFlight = new Set<Promise<unknown>>();
  const send = (path: string, init?: RequestInit) => {
    const request = fetch(`${args.base}${path}`, init).then((r) => r.arrayBuffer()).catch(() => undefined);
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  };
  const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const timer = setInterval(() => {
    tick += 1;
    send('/login', json(args.user));
    if (tick % 2 === 0) {
      send('/checkout', json({ items: ['parapet-sticker'] }));
      send(`/orgs/acme/users/${tick % 100}`);
    }
  }, 1000 / args.rate);
  timer.unref();
  return {
    async close() {
      clearInterval(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}
