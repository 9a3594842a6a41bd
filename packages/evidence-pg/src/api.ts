import * as z from 'zod';
import { ParapetError, parseOptions } from '@parapet/core/integration';
import { OPERATOR_ACTIONS, type EvidenceStore, type OperatorAction } from './contract.js';
import { DEFAULT_MAX_BODY_BYTES, bearerToken, failure, json, matchesAny, readJsonBody } from './http.js';
import { toUnavailable } from './transient.js';
import type { Actor } from './types.js';

/** An extra route under `<mount>/api` (extension packages), behind the same authorize, CSRF and errors. */
export interface OperatorRoute {
  method: 'GET' | 'POST';
  /** Path under `/api`, e.g. `/incidents/:id/preview`. `:name` segments become `params.name`. */
  path: string;
  handler: (args: { request: Request; actor: Actor; params: Record<string, string>; body: unknown }) => Promise<Response> | Response;
}

export interface OperatorApiOptions {
  store: EvidenceStore;
  /** Who is calling: an actor, or null (401). Required: there is no default that lets anyone act. */
  authorize: (request: Request) => Actor | null | Promise<Actor | null>;
  /** Path prefix the handler is mounted under, stripped from the URL (e.g. `/parapet`). Default ''. */
  basePath?: string;
  /** Bearer tokens accepted on `POST /api/deploys` only (CI pipelines). */
  deployTokens?: readonly string[];
  /** Extra origins allowed to send mutating requests (besides the request's own origin). */
  allowedOrigins?: readonly string[];
  maxBodyBytes?: number;
  retryAfterSeconds?: number;
  routes?: readonly OperatorRoute[];
}

const schema = z.strictObject({
  store: z.custom<EvidenceStore>((v) => typeof (v as EvidenceStore)?.act === 'function', 'an evidence store from createEvidenceStore()'),
  authorize: z.function(),
  basePath: z.string().regex(/^(\/[^/]+)*$/, 'a path like /parapet, without a trailing slash').default(''),
  deployTokens: z.array(z.string().min(16)).default([]),
  allowedOrigins: z.array(z.string().url()).default([]),
  maxBodyBytes: z.number().int().positive().default(DEFAULT_MAX_BODY_BYTES),
  retryAfterSeconds: z.number().int().positive().default(5),
  routes: z.array(z.any()).default([]),
});

const ACTION_ROUTES: Record<string, OperatorAction> = Object.fromEntries(OPERATOR_ACTIONS.map((a) => [a === 'note' ? 'notes' : a, a]));

const deploySchema = z.strictObject({
  version: z.string().min(1),
  service: z.string().min(1).optional(),
  slo: z.string().min(1).optional(),
  at: z.string().datetime({ offset: true }).optional(),
  url: z.string().optional(),
  summary: z.string().optional(),
});

const actionSchema = z.looseObject({
  rationale: z.string({ error: 'rationale is required: say why (it is kept in the audit trail)' }).refine((s) => s.trim().length > 0, 'rationale must not be empty'),
  assignee: z.string().min(1).optional(),
  until: z.string().optional(),
});

const actionItemSchema = z.looseObject({
  title: z.string({ error: 'title is required' }).refine((s) => s.trim().length > 0, 'title must not be empty'),
  target: z.string().min(1).optional(),
  rationale: z.string({ error: 'rationale is required: say why (it is kept in the audit trail)' }).refine((s) => s.trim().length > 0, 'rationale must not be empty'),
});

function invalid(error: z.ZodError): ParapetError {
  const first = error.issues[0]!;
  const field = first.path.map(String).join('.') || 'body';
  return new ParapetError('INVALID_REQUEST', `${field}: ${first.message}.`, { details: { field } });
}

/**
 * The operator API as a fetch handler. Refuses to be created without `authorize` (default deny).
 * Mutating routes accept only JSON and refuse cross-site requests, so cookie-authenticated hosts
 * are safe from CSRF.
 */
export function createOperatorApiHandler(options: OperatorApiOptions): (request: Request) => Promise<Response> {
  if (typeof (options as Partial<OperatorApiOptions> | undefined)?.authorize !== 'function') {
    throw new ParapetError('INVALID_OPTIONS', 'createOperatorApiHandler(): option "authorize" is required: a function (request) => { id, name, role: "viewer" | "responder" } | null. Without it nobody could be told apart, so the API refuses to mount.');
  }
  const opts = parseOptions(schema, options, 'createOperatorApiHandler()');
  const authorize = opts.authorize as OperatorApiOptions['authorize'];
  const store = opts.store;
  const routes = opts.routes as OperatorRoute[];

  function sameOrigin(request: Request): void {
    const site = request.headers.get('sec-fetch-site');
    const origin = request.headers.get('origin');
    const own = new URL(request.url).origin;
    const originOk = origin === null || origin === own || opts.allowedOrigins.includes(origin);
    if ((site !== null && site !== 'same-origin' && site !== 'none' && !(origin !== null && originOk && origin !== own)) || !originOk) {
      throw new ParapetError('FORBIDDEN', `cross-site request refused (Origin ${origin ?? 'absent'}, Sec-Fetch-Site ${site ?? 'absent'}); call the operator API from the same origin, or list the origin in allowedOrigins.`);
    }
  }

  async function actorFor(request: Request, mutating: boolean): Promise<Actor> {
    const actor = await authorize(request);
    if (!actor) throw new ParapetError('UNAUTHORIZED', 'sign in to use the operator API (authorize() returned no actor).');
    if (mutating && actor.role !== 'responder') throw new ParapetError('FORBIDDEN', `${actor.name || actor.id} is a ${actor.role}; only responders may act.`);
    return actor;
  }

  async function route(request: Request, path: string): Promise<Response> {
    const method = request.method;
    const mutating = method !== 'GET' && method !== 'HEAD';
    const parts = path.split('/').filter(Boolean);

    if (path === '/deploys') {
      if (method !== 'POST') throw new ParapetError('METHOD_NOT_ALLOWED', 'POST /api/deploys.');
      const token = bearerToken(request);
      let actorId: string;
      if (token !== undefined && opts.deployTokens.length > 0 && matchesAny(token, opts.deployTokens)) actorId = 'deploy-token';
      else {
        sameOrigin(request);
        actorId = (await actorFor(request, true)).id;
      }
      const parsed = deploySchema.safeParse(await readJsonBody(request, opts.maxBodyBytes));
      if (!parsed.success) throw invalid(parsed.error);
      const event = await store.recordDeploy({ ...parsed.data, actor: actorId });
      return json({ event }, 201);
    }

    if (mutating) sameOrigin(request);
    const actor = await actorFor(request, mutating);

    for (const r of routes) {
      const params = matchPath(r.path, parts);
      if (params && r.method === method) {
        const body = mutating ? await readJsonBody(request, opts.maxBodyBytes) : undefined;
        return r.handler({ request, actor, params, body });
      }
    }

    if (path === '/health' && method === 'GET') return json(await store.health());
    if (parts[0] === 'incidents' && parts.length === 1) {
      if (method !== 'GET') throw new ParapetError('METHOD_NOT_ALLOWED', 'GET /api/incidents.');
      const q = new URL(request.url).searchParams;
      const state = q.get('state') ?? 'active';
      if (!['active', 'resolved', 'all'].includes(state)) throw new ParapetError('INVALID_REQUEST', `state must be active, resolved or all; got ${JSON.stringify(state)}.`, { details: { field: 'state' } });
      const limitText = q.get('limit');
      const limit = limitText === null ? 50 : Number(limitText);
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new ParapetError('INVALID_REQUEST', `limit must be an integer from 1 to 200; got ${JSON.stringify(limitText)}.`, { details: { field: 'limit' } });
      const etag = `W/"${await store.changeToken()}:${Buffer.from(q.toString()).toString('base64url')}"`;
      if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers: { etag } });
      const page = await store.listIncidents({ state: state as never, severity: q.get('severity') ?? undefined, slo: q.get('slo') ?? undefined, limit, cursor: q.get('cursor') ?? undefined });
      return json(page, 200, { etag });
    }
    if (parts[0] === 'incidents' && parts.length === 2) {
      if (method !== 'GET') throw new ParapetError('METHOD_NOT_ALLOWED', 'GET /api/incidents/:id.');
      const detail = await store.getIncident({ id: parts[1]! });
      if (!detail) throw new ParapetError('NOT_FOUND', `no incident ${parts[1]}.`);
      return json(detail);
    }
    if (parts[0] === 'incidents' && parts.length === 3 && parts[2] === 'retrospective') {
      if (method !== 'GET') throw new ParapetError('METHOD_NOT_ALLOWED', 'GET /api/incidents/:id/retrospective.');
      const md = await store.retrospective({ id: parts[1]! });
      return new Response(md, { headers: { 'content-type': 'text/markdown; charset=utf-8', 'cache-control': 'no-store' } });
    }
    if (parts[0] === 'incidents' && parts.length === 3 && parts[2] === 'action-items') {
      if (method !== 'POST') throw new ParapetError('METHOD_NOT_ALLOWED', 'POST /api/incidents/:id/action-items.');
      const parsed = actionItemSchema.safeParse(await readJsonBody(request, opts.maxBodyBytes));
      if (!parsed.success) throw invalid(parsed.error);
      const item = await store.addActionItem({ incidentId: parts[1]!, actor, ...parsed.data });
      return json({ actionItem: item }, 201);
    }
    if (parts[0] === 'incidents' && parts.length === 3 && ACTION_ROUTES[parts[2]!]) {
      if (method !== 'POST') throw new ParapetError('METHOD_NOT_ALLOWED', `POST /api/incidents/:id/${parts[2]}.`);
      const parsed = actionSchema.safeParse(await readJsonBody(request, opts.maxBodyBytes));
      if (!parsed.success) throw invalid(parsed.error);
      const key = request.headers.get('idempotency-key') ?? undefined;
      const result = await store.act({
        incidentId: parts[1]!,
        action: ACTION_ROUTES[parts[2]!]!,
        actor,
        rationale: parsed.data.rationale,
        assignee: parsed.data.assignee,
        until: parsed.data.until,
        idempotencyKey: key,
      });
      return json({ incident: result.incident }, 200, result.replayed ? { 'idempotency-replayed': 'true' } : {});
    }
    throw new ParapetError('NOT_FOUND', `no operator API route ${method} ${path}.`);
  }

  return async (request) => {
    try {
      const url = new URL(request.url);
      let path = url.pathname;
      if (opts.basePath && path.startsWith(opts.basePath)) path = path.slice(opts.basePath.length);
      if (!path.startsWith('/api/') && path !== '/api') throw new ParapetError('NOT_FOUND', `no operator API route ${path}; routes live under ${opts.basePath}/api.`);
      return await route(request, path.slice(4) || '/');
    } catch (raw) {
      const error = toUnavailable(raw);
      const replayed = (error as ParapetError).details?.replayed === true;
      const res = failure(error, opts.retryAfterSeconds);
      if (replayed) res.headers.set('idempotency-replayed', 'true');
      return res;
    }
  };
}

function matchPath(pattern: string, parts: string[]): Record<string, string> | undefined {
  const want = pattern.split('/').filter(Boolean);
  if (want.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i]!.startsWith(':')) params[want[i]!.slice(1)] = decodeURIComponent(parts[i]!);
    else if (want[i] !== parts[i]) return undefined;
  }
  return params;
}
