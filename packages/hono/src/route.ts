import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Result } from 'hono/router';
import type { H, RouterRoute } from 'hono/types';

/** Patterns of middleware that runs for every path (`app.use(mw)`, `app.use('*', mw)`). */
const ROOT_WIDE = new Set(['*', '/*']);

/**
 * The template a matched route stands for: its registered pattern, sub-app mounts and
 * `basePath` included (Hono merges them into the pattern). Root-wide middleware (`app.use(mw)`,
 * `app.use('*', mw)`) stands for no route: undefined rather than its own `/*`.
 */
function templateOf(route: RouterRoute | undefined): string | undefined {
  if (route === undefined) return undefined;
  if (route.method === 'ALL' && ROOT_WIDE.has(route.path)) return undefined;
  return route.path;
}

/**
 * Template of the route that answered: the registered pattern of the last handler that ran.
 * When only root-wide middleware ran — nothing matched and the not-found handler answered —
 * there is no route, so the result is undefined.
 */
export function answeredRoute(c: Context): string | undefined {
  return templateOf(matchedRoutes(c)[c.req.routeIndex]);
}

/**
 * Template of a router match, without running anything: the last matched pattern that is not
 * root-wide middleware. Hono returns matches in registration order, so this is the route
 * handler (or, when no route matched, the innermost scoped middleware, e.g. `/admin/*`).
 * Undefined when only root-wide middleware matched.
 */
export function matchedRoute(match: Result<[H, RouterRoute]>): string | undefined {
  const handlers = match[0];
  for (let i = handlers.length - 1; i >= 0; i--) {
    const template = templateOf(handlers[i]![0][1]);
    if (template !== undefined) return template;
  }
  return undefined;
}
