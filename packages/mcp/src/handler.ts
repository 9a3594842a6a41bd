import { createMcpHandler, getOAuthProtectedResourceMetadataUrl, requireBearerAuth, validateHostHeader, validateOriginHeader, localhostAllowedOrigins, type AuthInfo, type OAuthTokenVerifier } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { closeable, errorResponse, parseOptions, ParapetError, type Closeable } from '@parapet/core/integration';
import type { EvidenceStore } from '@parapet/evidence-pg';
import type { RunbookSource, SloStatusSource } from './sources.js';
import { recordMcpCall } from './audit.js';
import { buildServer, PLUMBING, type McpPrincipal } from './tools.js';
import { VERSION } from './version.js';

/** The OAuth 2.1 resource-server profile of the MCP authorization spec. */
export interface McpOAuthOptions {
  /** Verifies an access token (introspection or JWT validation). Must set `expiresAt` and `resource` (from `aud`). */
  verifier: OAuthTokenVerifier;
  /**
   * The canonical URL of this MCP endpoint (e.g. `https://ops.example.com/parapet/mcp`): the
   * RFC 8707 resource tokens must be issued for. Tokens for any other audience get 401.
   */
  resource: string | URL;
  /** Authorization servers clients should get tokens from (advertised in the protected-resource metadata). */
  authorizationServers: readonly string[];
  /** Scopes every token must carry (403 `insufficient_scope` otherwise). */
  requiredScopes?: readonly string[];
  /** Name shown to users in the metadata document. */
  resourceName?: string;
}

export interface McpHandlerOptions {
  /** The evidence store (with `mcpEvidenceExtension()` among its extensions). */
  store: Pick<EvidenceStore, 'db'>;
  /**
   * The host's authentication: return who is calling (from its session cookie, API key…), or null
   * for 401. Required unless `oauth` is given: there is no anonymous access.
   */
  verify?: (request: Request) => McpPrincipal | null | undefined | Promise<McpPrincipal | null | undefined>;
  /** OAuth resource-server mode for remote assistants (Bearer tokens, RFC 9728 metadata, audience check). */
  oauth?: McpOAuthOptions;
  /**
   * Hostnames (no scheme or port) browsers may call from (`Origin`). A request with an `Origin`
   * that is neither same-origin nor listed gets 403. Default: localhost origins only.
   */
  allowedOrigins?: readonly string[];
  /** Hostnames accepted in `Host` (DNS-rebinding protection); default: any (the host's router decides). */
  allowedHosts?: readonly string[];
  /** Where `slo_status` reads from: `prometheusSloSource({ url })` or an in-process monitor. */
  sloStatus?: SloStatusSource;
  /** Where `read_runbook` reads from (@parapet/response provides one). */
  runbooks?: RunbookSource;
  /** Largest request body accepted, in bytes (default 65536). */
  maxBodyBytes?: number;
  /** Receives unexpected errors (database failures, audit failures); never shown to clients. */
  onError?: (error: unknown) => void;
  /** Clock (tests). */
  now?: () => Date;
}

const optionsSchema = z.strictObject({
  store: z.custom<Pick<EvidenceStore, 'db'>>((v) => typeof (v as { db?: { transaction?: unknown } })?.db?.transaction === 'function', 'an evidence store from createEvidenceStore()'),
  verify: z.function().optional(),
  oauth: z
    .strictObject({
      verifier: z.custom<OAuthTokenVerifier>((v) => typeof (v as OAuthTokenVerifier)?.verifyAccessToken === 'function', 'an object with verifyAccessToken(token)'),
      resource: z.union([z.string().url(), z.instanceof(URL)]),
      authorizationServers: z.array(z.string().url()).min(1),
      requiredScopes: z.array(z.string()).optional(),
      resourceName: z.string().optional(),
    })
    .optional(),
  allowedOrigins: z.array(z.string().min(1)).optional(),
  allowedHosts: z.array(z.string().min(1)).optional(),
  sloStatus: z.custom<SloStatusSource>((v) => typeof (v as SloStatusSource)?.status === 'function', 'an object with status({ slo, limit })').optional(),
  runbooks: z.custom<RunbookSource>((v) => typeof (v as RunbookSource)?.read === 'function', 'an object with read({ name, slo, alertname })').optional(),
  maxBodyBytes: z.number().int().min(1024).max(4_194_304).default(65_536),
  onError: z.function().optional(),
  now: z.function().optional(),
});

/** A fetch handler: `(request) => Promise<Response>`, closeable. */
export interface McpHandler extends Closeable {
  (request: Request): Promise<Response>;
  /** Path of the RFC 9728 protected-resource metadata document this handler serves (OAuth mode); route it to this handler too. */
  readonly protectedResourceMetadataPath: string | null;
}

const PRINCIPAL = 'parapetPrincipal';
const AUDIT_STATE = 'parapetAuditState';

function principalFrom(auth: AuthInfo | undefined): McpPrincipal | undefined {
  const given = auth?.extra?.[PRINCIPAL] as McpPrincipal | undefined;
  if (given) return given;
  if (!auth) return undefined;
  const sub = typeof auth.extra?.sub === 'string' ? auth.extra.sub : undefined;
  return { id: sub ?? `client:${auth.clientId}`, name: auth.clientId, scopes: auth.scopes };
}

const challenge = (header: string) =>
  new Response(JSON.stringify(new ParapetError('UNAUTHORIZED', 'Authentication required: this MCP server has no anonymous access.').toJSON()), {
    status: 401,
    headers: { 'content-type': 'application/json', 'www-authenticate': header },
  });

/**
 * The Parapet MCP server as a fetch-standard handler: stateless Streamable HTTP (one POST per
 * exchange, JSON responses), read-only tools, every call audited.
 *
 * Mount: Express `app.all('/parapet/mcp', toExpressHandler(handler))` (before `express.json()`);
 * Hono `app.all('/parapet/mcp', (c) => handler(c.req.raw))`; Node `toNodeHandler(handler)`.
 */
export function createParapetMcpHandler(options: McpHandlerOptions): McpHandler {
  const opts = parseOptions(optionsSchema, options, 'createParapetMcpHandler()');
  if (!opts.verify && !opts.oauth) {
    throw new ParapetError('INVALID_OPTIONS', 'createParapetMcpHandler(): no anonymous access. Pass `verify: (request) => principal | null` (reuse your session or API keys) or `oauth: { verifier, resource, authorizationServers }`.');
  }
  const verify = opts.verify as McpHandlerOptions['verify'];
  const onError = (opts.onError as McpHandlerOptions['onError']) ?? (() => {});
  const now = (opts.now as (() => Date) | undefined) ?? (() => new Date());
  const allowedOrigins = [...(opts.allowedOrigins ?? localhostAllowedOrigins())];

  let metadataUrl: string | null = null;
  let metadataPath: string | null = null;
  let metadataDoc: Record<string, unknown> | null = null;
  let gate: ((request: Request) => Promise<AuthInfo | Response>) | null = null;
  let bearerChallenge = 'Bearer realm="parapet-mcp"';
  if (opts.oauth) {
    const resource = new URL(String(opts.oauth.resource));
    metadataUrl = getOAuthProtectedResourceMetadataUrl(resource);
    metadataPath = new URL(metadataUrl).pathname;
    metadataDoc = {
      resource: resource.href,
      authorization_servers: opts.oauth.authorizationServers,
      bearer_methods_supported: ['header'],
      ...(opts.oauth.requiredScopes?.length ? { scopes_supported: opts.oauth.requiredScopes } : {}),
      resource_name: opts.oauth.resourceName ?? 'Parapet evidence (read-only MCP)',
    };
    gate = requireBearerAuth({ verifier: opts.oauth.verifier, expectedResource: resource, resourceMetadataUrl: metadataUrl, ...(opts.oauth.requiredScopes ? { requiredScopes: [...opts.oauth.requiredScopes] } : {}) });
    bearerChallenge = `Bearer resource_metadata="${metadataUrl}"${opts.oauth.requiredScopes?.length ? `, scope="${opts.oauth.requiredScopes.join(' ')}"` : ''}`;
  }

  const mcp = createMcpHandler(
    (mctx) => {
      const principal = principalFrom(mctx.authInfo);
      if (!principal) throw new ParapetError('UNAUTHORIZED', 'no principal');
      const state = mctx.authInfo?.extra?.[AUDIT_STATE] as { audited: boolean } | undefined;
      return buildServer({ store: opts.store, principal, transport: 'http', version: VERSION, now, onError, onAudited: () => state && (state.audited = true), ...(opts.sloStatus ? { slo: opts.sloStatus } : {}), ...(opts.runbooks ? { runbooks: opts.runbooks } : {}) });
    },
    { legacy: 'stateless', responseMode: 'auto', maxRequestBodySize: opts.maxBodyBytes, onerror: (e) => onError(e) },
  );

  async function authenticate(request: Request): Promise<AuthInfo | Response> {
    const hasBearer = /^bearer\s/i.test(request.headers.get('authorization') ?? '');
    if (gate && (hasBearer || !verify)) return gate(request);
    if (!verify) return challenge(bearerChallenge);
    let principal: McpPrincipal | null | undefined;
    try {
      principal = await verify(request);
    } catch (error) {
      onError(error);
      return errorResponse(new ParapetError('UNAVAILABLE', 'Authentication failed to run; try again later.'));
    }
    if (!principal || typeof principal.id !== 'string' || principal.id === '') return challenge(bearerChallenge);
    return { token: '', clientId: principal.id, scopes: [...(principal.scopes ?? [])], extra: { [PRINCIPAL]: principal } };
  }

  /**
   * Reads the (bounded) body once, so a call the SDK refuses before any tool runs (unknown tool,
   * invalid arguments, unknown method: a crafted write attempt) is audited too.
   */
  async function serve(request: Request, auth: AuthInfo): Promise<Response> {
    const declared = Number(request.headers.get('content-length') ?? '0');
    if (declared > opts.maxBodyBytes) return errorResponse(new ParapetError('PAYLOAD_TOO_LARGE', `Request bodies are limited to ${opts.maxBodyBytes} bytes.`));
    const text = await request.text();
    if (Buffer.byteLength(text) > opts.maxBodyBytes) return errorResponse(new ParapetError('PAYLOAD_TOO_LARGE', `Request bodies are limited to ${opts.maxBodyBytes} bytes.`));
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return errorResponse(new ParapetError('INVALID_REQUEST', 'The body must be one JSON-RPC message.'));
    }
    if (Array.isArray(body)) return errorResponse(new ParapetError('INVALID_REQUEST', 'JSON-RPC batches are not accepted; send one message per request.'));
    const message = (body ?? {}) as { method?: unknown; id?: unknown; params?: { name?: unknown; uri?: unknown; arguments?: unknown } };
    const state = { audited: false };
    const response = await mcp.fetch(new Request(request.url, { method: 'POST', headers: request.headers, body: text }), { authInfo: { ...auth, extra: { ...auth.extra, [AUDIT_STATE]: state } }, parsedBody: body });
    const method = typeof message.method === 'string' ? message.method : '';
    const isRequest = message.id !== undefined && method !== '' && !method.startsWith('notifications/');
    if (!isRequest || PLUMBING.has(method)) return response;
    // Evidence-reading calls: wait for the whole answer (the 2025 era may frame it as a short SSE
    // stream), so the audit row is written before the client sees the result.
    const answer = await response.text();
    if (!state.audited) {
      const principal = principalFrom(auth)!;
      const name = method === 'tools/call' ? String(message.params?.name ?? '') : method === 'resources/read' ? String(message.params?.uri ?? '') : method;
      const args = message.params?.arguments;
      try {
        await recordMcpCall(opts.store, {
          actorId: principal.id,
          actorName: principal.name ?? null,
          client: request.headers.get('user-agent') ? `user-agent:${request.headers.get('user-agent')}` : null,
          transport: 'http',
          kind: method === 'tools/call' ? 'tool' : method === 'resources/read' ? 'resource' : 'request',
          name: name || method,
          arguments: args && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>) : {},
          outcome: 'error',
          error: 'refused before any tool ran (unknown tool or method, or invalid arguments)',
        });
      } catch (error) {
        onError(error);
      }
    }
    return new Response(answer, { status: response.status, statusText: response.statusText, headers: response.headers });
  }

  const handler = async (request: Request): Promise<Response> => {
    try {
      const url = new URL(request.url);
      if (opts.allowedHosts) {
        const host = validateHostHeader(request.headers.get('host') ?? url.host, [...opts.allowedHosts]);
        if (!host.ok) return errorResponse(new ParapetError('FORBIDDEN', `Host not allowed: ${host.message}`));
      }
      const origin = request.headers.get('origin');
      if (origin !== null && origin !== url.origin) {
        const check = validateOriginHeader(origin, allowedOrigins);
        if (!check.ok) return errorResponse(new ParapetError('FORBIDDEN', `Origin ${JSON.stringify(origin)} is not allowed to call this MCP server; add its hostname to allowedOrigins if it should.`));
      }
      if (metadataPath && url.pathname === metadataPath) {
        if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405, headers: { allow: 'GET, HEAD' } });
        return Response.json(metadataDoc, { headers: { 'cache-control': 'max-age=300' } });
      }
      const auth = await authenticate(request);
      if (auth instanceof Response) return auth;
      if (request.method !== 'POST') {
        const refused = errorResponse(new ParapetError('METHOD_NOT_ALLOWED', 'This MCP endpoint is stateless: POST only (no GET stream, no sessions).'));
        refused.headers.set('allow', 'POST');
        return refused;
      }
      return await serve(request, auth);
    } catch (error) {
      onError(error);
      return errorResponse(error);
    }
  };
  return Object.assign(
    closeable(handler, async () => {
      await mcp.close();
    }),
    { protectedResourceMetadataPath: metadataPath },
  ) as McpHandler;
}
