import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { ParapetError, errorResponse, parseOptions } from '@parapet/core/integration';

export interface WorkbenchHandlerOptions {
  /** Where the workbench is mounted (path-based routes below it). Default `/parapet`. */
  basePath?: string;
  /** Where the operator API is mounted. Default `<basePath>/api`. */
  apiBase?: string;
  /** Title in the header. Default "Parapet". */
  title?: string;
  /** External links (http(s) only): Grafana base URL, Alertmanager base URL, trace URL template with `{traceId}`. */
  links?: { grafanaUrl?: string; alertmanagerUrl?: string; traceUrl?: string };
  /** How often the queue checks for new activity (ms; 0 = never). Default 10 000. */
  pollIntervalMs?: number;
  /** Paths below `basePath` the workbench never answers (other Parapet handlers live there). */
  reserved?: readonly string[];
  /** Folder of a built bundle (tests, custom builds). Default: the one shipped in this package. */
  assetsDir?: string;
}

const httpUrl = z.string().refine((s) => /^https?:\/\//i.test(s), 'an absolute http(s) URL');
const schema = z.strictObject({
  basePath: z.string().regex(/^(\/[^/]+)*$/, 'a path like /parapet, without a trailing slash').default('/parapet'),
  apiBase: z.string().min(1).optional(),
  title: z.string().min(1).max(80).default('Parapet'),
  links: z.strictObject({ grafanaUrl: httpUrl.optional(), alertmanagerUrl: httpUrl.optional(), traceUrl: httpUrl.optional() }).default({}),
  pollIntervalMs: z.number().int().min(0).default(10_000),
  reserved: z.array(z.string().regex(/^\/[^/]+$/, 'one path segment like /api')).default(['/api', '/alertmanager', '/mcp']),
  assetsDir: z.string().min(1).optional(),
});

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

function defaultAssetsDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const candidate of [join(here, 'app'), join(here, '..', 'dist', 'app')]) if (existsSync(join(candidate, 'index.html')) && existsSync(join(candidate, 'assets'))) return candidate;
  throw new ParapetError('INVALID_OPTIONS', `createWorkbenchHandler(): the prebuilt workbench bundle is missing (looked for app/index.html next to ${here}). In this repository run "npm run build" in packages/ui-react; an installed package ships it in dist/app.`);
}

function readTree(dir: string, prefix = ''): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) for (const [k, v] of readTree(full, `${prefix}${name}/`)) files.set(k, v);
    else files.set(`${prefix}${name}`, readFileSync(full));
  }
  return files;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Serves the prebuilt workbench under `basePath` as a fetch handler: `GET <basePath>/`,
 * `/resolved`, `/incidents/:id` answer the page (with `<base href>` and a JSON config block, no
 * inline script) and `/assets/*` the hashed files; everything is sent with a strict CSP. It never
 * answers `<basePath>/api`, `/alertmanager` or `/mcp` (404), so a mis-ordered mount cannot shadow them.
 * Put the host's authentication in front of it, as for the operator API.
 */
export function createWorkbenchHandler(options: WorkbenchHandlerOptions = {}): (request: Request) => Promise<Response> {
  const opts = parseOptions(schema, options, 'createWorkbenchHandler()');
  const base = opts.basePath;
  const apiBase = opts.apiBase ?? `${base}/api`;
  const files = readTree(opts.assetsDir ?? defaultAssetsDir());
  const template = files.get('index.html')?.toString('utf8');
  if (!template) throw new ParapetError('INVALID_OPTIONS', `createWorkbenchHandler(): no index.html in ${opts.assetsDir}.`);

  let apiOrigin = '';
  try {
    if (/^https?:\/\//.test(apiBase)) apiOrigin = ` ${new URL(apiBase).origin}`;
  } catch {
    apiOrigin = '';
  }
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${apiOrigin}`,
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ');
  const security = {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  };

  const config = JSON.stringify({ apiBase, basePath: base, title: opts.title, links: opts.links, pollIntervalMs: opts.pollIntervalMs }).replace(/</g, '\\u003c');
  const html = template
    .replace(/<meta charset="utf-8"\s*\/?>/i, (m) => `${m}\n    <base href="${escapeHtml(`${base}/`)}" />\n    <script type="application/json" id="parapet-workbench-config">${config}</script>`)
    .replace('<title>Parapet incidents</title>', `<title>${escapeHtml(opts.title)} incidents</title>`);
  const page = Buffer.from(html, 'utf8');

  const reserved = opts.reserved.map((r) => `${base}${r}`);

  return async (request) => {
    try {
      const url = new URL(request.url);
      const path = url.pathname;
      if (path !== base && !path.startsWith(`${base}/`) && !(base === '' && path === '/')) {
        throw new ParapetError('NOT_FOUND', `the workbench lives under ${base || '/'}; nothing here at ${path}.`);
      }
      if (reserved.some((r) => path === r || path.startsWith(`${r}/`))) {
        throw new ParapetError('NOT_FOUND', `${path} belongs to another Parapet handler (operator API, Alertmanager webhook or MCP), not the workbench: mount that handler before the workbench.`);
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        throw new ParapetError('METHOD_NOT_ALLOWED', `the workbench only answers GET and HEAD; got ${request.method} ${path}.`);
      }
      if (path === base && base !== '') {
        return new Response(null, { status: 308, headers: { location: `${base}/${url.search}`, ...security } });
      }
      const rest = path.slice(base.length);
      if (rest.startsWith('/assets/')) {
        const name = rest.slice(1);
        const body = name.includes('..') ? undefined : files.get(name);
        if (!body) throw new ParapetError('NOT_FOUND', `no workbench asset ${name}.`);
        const ext = name.slice(name.lastIndexOf('.'));
        return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
          headers: { 'content-type': TYPES[ext] ?? 'application/octet-stream', 'cache-control': 'public, max-age=31536000, immutable', 'content-length': String(body.length), ...security },
        });
      }
      const known = rest === '/' || rest === '/resolved' || /^\/incidents\/[^/]+\/?$/.test(rest);
      return new Response(request.method === 'HEAD' ? null : new Uint8Array(page), {
        status: known ? 200 : 404,
        headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...security },
      });
    } catch (error) {
      const res = errorResponse(error);
      for (const [k, v] of Object.entries(security)) res.headers.set(k, v);
      return res;
    }
  };
}
