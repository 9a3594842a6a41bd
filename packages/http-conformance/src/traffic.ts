/** One request of the shared traffic script. */
export interface Step {
  method: string;
  path: string;
  body?: string;
}

/**
 * The same traffic for every adapter, and the series it must leave behind. Keys are
 * `route method status_class status_code`; values are request counts.
 */
export const TRAFFIC: readonly Step[] = [
  { method: 'GET', path: '/health' },
  { method: 'GET', path: '/health' },
  { method: 'GET', path: '/users/1' },
  { method: 'GET', path: '/users/2' },
  { method: 'HEAD', path: '/users/3' },
  { method: 'OPTIONS', path: '/users/4' },
  { method: 'POST', path: '/users', body: '{"name":"ada"}' },
  { method: 'GET', path: '/orgs/acme/users/7' },
  { method: 'GET', path: '/orgs/globex/users/8' },
  { method: 'GET', path: '/boom' },
  { method: 'GET', path: '/recover' },
  { method: 'GET', path: '/nope/abc' },
  { method: 'GET', path: '/wp-admin/setup.php' },
  { method: 'GET', path: '/.env' },
  { method: 'PURGE', path: '/users/1' },
  { method: 'GET', path: '/metrics' },
];

export const EXPECTED: ReadonlyMap<string, number> = new Map([
  ['/health GET 2xx 200', 2],
  ['/users/:id GET 2xx 200', 2],
  ['/users/:id HEAD 2xx 200', 1],
  ['/users/:id OPTIONS 2xx 204', 1],
  ['/users POST 2xx 201', 1],
  ['/orgs/:org/users/:id GET 2xx 200', 2],
  ['/boom GET 5xx 500', 1],
  ['/recover GET 5xx 500', 1],
  ['_unmatched GET 4xx 404', 3],
  ['_unmatched _other 4xx 404', 1],
]);

export async function play(url: string, steps: readonly Step[], headers: Record<string, string> = {}): Promise<void> {
  for (const step of steps) {
    const res = await fetch(url + step.path, {
      method: step.method,
      headers: { ...headers, ...(step.body !== undefined && { 'content-type': 'application/json' }) },
      ...(step.body !== undefined && { body: step.body }),
    });
    await res.arrayBuffer();
  }
}
