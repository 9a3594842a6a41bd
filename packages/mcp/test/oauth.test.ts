import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OAuthError, OAuthErrorCode, type AuthInfo } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@parapet/core/integration';
import { createParapetMcpHandler, type McpHandler } from '../src/index.js';
import { auditRows, connect, openTarget, seed, type OpenedTarget } from './support.js';

describe('OAuth resource-server mode', () => {
  let opened: OpenedTarget;
  let handler: McpHandler;
  let server: Server;
  let base: string;
  const tokens = new Map<string, AuthInfo>();

  beforeAll(async () => {
    opened = await openTarget('pglite');
    await seed(opened.store);
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const resource = new URL(`${base}/parapet/mcp`);
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    tokens.set('good', { token: 'good', clientId: 'claude', scopes: ['parapet:read'], expiresAt, resource, extra: { sub: 'user-42' } });
    tokens.set('other-audience', { token: 'other-audience', clientId: 'claude', scopes: ['parapet:read'], expiresAt, resource: new URL('https://other.example/mcp'), extra: { sub: 'user-42' } });
    tokens.set('no-scope', { token: 'no-scope', clientId: 'claude', scopes: [], expiresAt, resource, extra: { sub: 'user-42' } });
    handler = createParapetMcpHandler({
      store: opened.store,
      // An in-process monitor plugs in through the same interface as Prometheus.
      sloStatus: { name: 'monitor', status: async ({ slo }) => [{ slo: slo ?? 'checkout-availability', burnRates: { '5m': 2 }, budgetRemaining: 0.9, objective: 0.995 }] },
      oauth: {
        resource,
        authorizationServers: ['https://auth.example.com'],
        requiredScopes: ['parapet:read'],
        verifier: {
          async verifyAccessToken(token) {
            const info = tokens.get(token);
            if (!info) throw new OAuthError(OAuthErrorCode.InvalidToken, 'unknown token');
            return info;
          },
        },
      },
    });
    server.on('request', toNodeHandler(handler));
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await handler.close();
    await opened.close();
  });

  const post = (headers: Record<string, string> = {}) =>
    fetch(`${base}/parapet/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '0' } } }),
    });

  it('answers 401 with WWW-Authenticate pointing to the protected-resource metadata, which it serves', async () => {
    const r = await post();
    expect(r.status).toBe(401);
    const header = r.headers.get('www-authenticate') ?? '';
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(header)?.[1];
    expect(metadataUrl).toBe(`${base}/.well-known/oauth-protected-resource/parapet/mcp`);
    expect(handler.protectedResourceMetadataPath).toBe('/.well-known/oauth-protected-resource/parapet/mcp');
    const doc = (await (await fetch(metadataUrl!)).json()) as Record<string, unknown>;
    expect(doc).toMatchObject({ resource: `${base}/parapet/mcp`, authorization_servers: ['https://auth.example.com'], scopes_supported: ['parapet:read'] });
  });

  it('checks audience and scope, and audits the token subject', async () => {
    const wrongAudience = await post({ authorization: 'Bearer other-audience' });
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.headers.get('www-authenticate')).toMatch(/resource_metadata=/);
    expect((await post({ authorization: 'Bearer unknown' })).status).toBe(401);
    expect((await post({ authorization: 'Bearer no-scope' })).status).toBe(403);
    const client = await connect(`${base}/parapet/mcp`, { token: 'good' });
    try {
      const r = await client.callTool({ name: 'list_incidents', arguments: { limit: 1 } });
      expect(r.isError).toBeFalsy();
      expect((await client.callTool({ name: 'slo_status', arguments: { slo: 'search' } })).structuredContent).toEqual({
        source: 'monitor',
        available: true,
        message: null,
        slos: [{ slo: 'search', burnRates: { '5m': 2 }, budgetRemaining: 0.9, objective: 0.995 }],
      });
    } finally {
      await client.close();
    }
    expect((await auditRows(opened.store)).map((r) => `${r.actor_id} ${r.name} ${r.outcome}`)).toEqual(['user-42 list_incidents ok', 'user-42 slo_status ok']);
  });
});
