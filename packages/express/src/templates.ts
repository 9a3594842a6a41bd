/**
 * Route templates from Express's own layer objects, read when a request passes through them.
 * Nothing here depends on when routes were registered, so routers built before Parapet was
 * installed (the usual case: routers defined in imported modules) are templated too.
 *
 * - Express 5 (router >= 2.3): a layer keeps its registered path as `rawPath`.
 * - Express 4: a layer keeps the compiled regexp and its keys; re-running the regexp with match
 *   indices (`d` flag) on the matched prefix tells exactly which characters were parameters.
 * - router 2.0–2.2 keep neither: parameters are replaced where their value is a whole segment,
 *   and a prefix that cannot be templated that way becomes `/*` (bounded, never the value).
 */

/** The fields of an Express / router Layer this module reads. Internal to Express, so all optional. */
export interface LayerLike {
  route?: RouteLike;
  rawPath?: unknown;
  slash?: boolean;
  regexp?: RegExp & { fast_slash?: boolean; fast_star?: boolean };
  keys?: readonly { name: string | number; optional?: boolean }[];
  path?: string;
  params?: Record<string, unknown>;
}

export interface RouteLike {
  path?: unknown;
}

const ROUTE_TEMPLATE = Symbol('parapet.routeTemplate');
const MOUNT_TEMPLATE = Symbol('parapet.mountTemplate');
const MASK_TEMPLATES = Symbol('parapet.maskTemplates');
const INDEXED_REGEXP = Symbol('parapet.indexedRegexp');

type Cached<T> = T & { [ROUTE_TEMPLATE]?: string; [MOUNT_TEMPLATE]?: string; [MASK_TEMPLATES]?: Map<number, string>; [INDEXED_REGEXP]?: RegExp };

/** A registered path (string, RegExp, or an array of them) as one fixed string. */
export function formatPath(path: unknown): string {
  if (typeof path === 'string') return path;
  if (path instanceof RegExp) return String(path);
  if (Array.isArray(path)) return path.map(formatPath).join('|');
  return '';
}

/** Drop trailing slashes: a mount at `/api/` and one at `/api` are the same prefix; `/` adds nothing. */
function trimTrailingSlash(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 47) end--;
  return end === path.length ? path : path.slice(0, end);
}

/** The route's own path (relative to its router), cached on the Route object. */
export function routePath(route: Cached<RouteLike>): string {
  return (route[ROUTE_TEMPLATE] ??= formatPath(route.path));
}

/** Full template: mount prefix + route path (`/orgs/:org/users` + `/:id`). */
export function joinTemplate(prefix: string, path: string): string {
  if (prefix === '') return path;
  if (path === '/' || path === '') return prefix;
  return path.charCodeAt(0) === 47 ? prefix + path : `${prefix}/${path}`;
}

/**
 * The prefix a non-route layer adds to the template, or '' when it adds none (root middleware,
 * handlers inside a Route). Cached on the layer when it cannot vary between requests.
 */
export function mountTemplate(layer: Cached<LayerLike>): string {
  const cached = layer[MOUNT_TEMPLATE];
  if (cached !== undefined) return cached;
  if (layer.rawPath !== undefined) {
    return (layer[MOUNT_TEMPLATE] = layer.slash ? '' : trimTrailingSlash(formatPath(layer.rawPath)));
  }
  if (layer.regexp !== undefined) return express4Template(layer);
  return paramTemplate(layer);
}

/** Source suffix path-to-regexp 0.1 gives prefix (end: false) patterns compiled from strings. */
const GENERATED_PREFIX_SUFFIX = '(?=\\/|$)';

function express4Template(layer: Cached<LayerLike>, matchedPath: string | undefined = layer.path): string {
  const regexp = layer.regexp!;
  // Handlers inside a Route are never matched, so they have no path: they add nothing.
  if (matchedPath === undefined || regexp.fast_slash) return '';
  if (regexp.fast_star) return (layer[MOUNT_TEMPLATE] = '*');
  // A RegExp the app registered itself: the pattern is the template.
  if (!regexp.source.endsWith(GENERATED_PREFIX_SUFFIX)) return (layer[MOUNT_TEMPLATE] = String(regexp));

  const indexed = (layer[INDEXED_REGEXP] ??= new RegExp(regexp.source, `${regexp.flags.replace(/[gyd]/g, '')}d`));
  const path = matchedPath;
  const match = indexed.exec(path);
  const keys = layer.keys ?? [];
  if (match === null || match.indices === undefined) return '/*';
  // Optional parameters change the shape; cache one template per set of groups that took part.
  // The first request seen for a shape fixes its literal text (matching is case-insensitive).
  let mask = 0;
  for (let i = 1; i < match.length && i < 31; i++) if (match.indices[i] !== undefined) mask |= 1 << i;
  const byMask = (layer[MASK_TEMPLATES] ??= new Map());
  const hit = byMask.get(mask);
  if (hit !== undefined) return hit;

  let out = '';
  let pos = 0;
  for (let i = 1; i < match.length; i++) {
    const span = match.indices[i];
    if (span === undefined || span[0] < pos) continue; // absent, or nested inside a previous group
    out += `${path.slice(pos, span[0])}:${String(keys[i - 1]?.name ?? i - 1)}`;
    pos = span[1];
  }
  const template = trimTrailingSlash(out + path.slice(pos));
  if (byMask.size < 64) byMask.set(mask, template);
  return template;
}

function paramTemplate(layer: Cached<LayerLike>): string {
  if (layer.slash || !layer.path) return '';
  const params = Object.entries(layer.params ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string');
  const used = new Set<string>();
  const segments = layer.path.split('/').map((segment) => {
    let decoded = segment;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      // keep it raw
    }
    const found = params.find(([name, value]) => !used.has(name) && value === decoded);
    if (!found) return segment;
    used.add(found[0]);
    return `:${found[0]}`;
  });
  // Fixed on first sight, like the Express 4 shapes, so letter case cannot mint new values.
  return (layer[MOUNT_TEMPLATE] = used.size === params.length ? trimTrailingSlash(segments.join('/')) : '/*');
}

interface RoutedLayer extends LayerLike {
  matchers?: ((path: string) => unknown)[];
  route?: RouteLike & { _handlesMethod?: (method: string) => boolean; _handles_method?: (method: string) => boolean };
  handle?: { stack?: unknown };
}

function stackOf(app: unknown): unknown[] | undefined {
  try {
    const a = app as { _router?: { stack?: unknown }; router?: { stack?: unknown } };
    const stack = (a._router ?? a.router)?.stack;
    return Array.isArray(stack) ? stack : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The template of the route that matches `method` and `path`, found without running anything
 * and without touching Express's layer state: the app's routes, and those of routers mounted
 * in it (`app.use('/api', router)`, nested). Used when an error (a body parser's 400, say)
 * stopped the request before the router dispatched to its route: the router did match it, so
 * the request keeps that route's label rather than `_unmatched`. Undefined when none matches.
 */
export function staticRouteFor(app: unknown, method: string, path: string): string | undefined {
  const stack = stackOf(app);
  return stack === undefined ? undefined : searchStack(stack, method, path, '', 0);
}

const MAX_DEPTH = 8;

function searchStack(stack: readonly unknown[], method: string, path: string, prefix: string, depth: number): string | undefined {
  for (const entry of stack) {
    if (entry === null || typeof entry !== 'object') continue;
    const layer = entry as Cached<RoutedLayer>;
    const route = layer.route;
    if (route !== undefined) {
      const handles = route._handlesMethod ?? route._handles_method;
      if (typeof handles === 'function' && handles.call(route, method) && matchedPrefix(layer, path) !== undefined) {
        return joinTemplate(prefix, routePath(route));
      }
      continue;
    }
    const inner = layer.handle?.stack;
    if (!Array.isArray(inner) || depth >= MAX_DEPTH) continue;
    const matched = matchedPrefix(layer, path);
    if (matched === undefined) continue;
    const own = layer.rawPath !== undefined ? mountTemplate(layer) : layer.regexp !== undefined ? express4Template(layer, matched) : '';
    const rest = path.slice(matched.length);
    const found = searchStack(inner, method, rest.startsWith('/') ? rest : `/${rest}`, prefix + own, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The part of `path` a layer matches ('' for root-wide ones), or undefined when it does not. */
function matchedPrefix(layer: RoutedLayer, path: string): string | undefined {
  if (layer.slash) return '';
  if (Array.isArray(layer.matchers)) {
    for (const matcher of layer.matchers) {
      const m = matcher(path) as { path?: unknown } | false;
      if (m) return typeof m.path === 'string' ? m.path : '';
    }
    return undefined;
  }
  const regexp = layer.regexp;
  if (regexp === undefined) return undefined;
  if (regexp.fast_slash) return '';
  if (regexp.fast_star) return path;
  regexp.lastIndex = 0;
  const m = regexp.exec(path);
  return m === null ? undefined : m[0];
}
