import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';

/** Patterns of middleware that runs for every path (`app.use(mw)`, `app.use('*', mw)`). */
const ROOT_WIDE = new Set(['*', '/*']);

/**
 * Template of the route that answered: the registered pattern of the last handler that ran,
 * sub-app mounts and `basePath` included (Hono merges them into the pattern). When only
 * root-wide middleware ran — nothing matched and the not-found handler answered — there is no
 * route, so the result is undefined rather than the middleware's own `/*`.
 */
export function answeredRoute(c: Context): string | undefined {
  const route = matchedRoutes(c)[c.req.routeIndex];
  if (route === undefined) return undefined;
  if (route.method === 'ALL' && ROOT_WIDE.has(route.path)) return undefined;
  return route.path;
}
