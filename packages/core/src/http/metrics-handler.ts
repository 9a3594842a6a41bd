import client, { type Registry } from 'prom-client';
import { consoleLogger, RateLimitedLogger, type Logger } from '../internal/logger.js';
import { bearerToken, resolveTokens, tokenMatches, type TokenSource } from './bearer-auth.js';
import { renderRegistry } from './exposition.js';
import { negotiateFormat } from './negotiate.js';

export interface MetricsHandlerOptions {
  /** Registry to serve. Default: prom-client's global registry (where attach() records by default). */
  registry?: Registry;
  /**
   * Accepted bearer tokens (several, for rotation), a comma-separated string, or a function read
   * on each request. Default: the `PARAPET_METRICS_TOKENS` environment variable.
   */
  tokens?: TokenSource;
  /** Serve without a token even in production. Only for endpoints not reachable from outside. */
  public?: boolean;
  logger?: Logger;
  /** Environment name; default `process.env.NODE_ENV`. */
  environment?: string;
}

export type FetchHandler = (request: Request) => Promise<Response>;

const text = (status: number, body: string, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers } });

/**
 * The /metrics endpoint as a fetch-standard handler. Secure by default: with tokens configured
 * a valid `Authorization: Bearer` header is required; with none configured it serves only
 * outside production, unless `public: true`. Answers Prometheus text or OpenMetrics by Accept.
 */
export function createMetricsHandler(options: MetricsHandlerOptions = {}): FetchHandler {
  const registry = options.registry ?? client.register;
  const log = new RateLimitedLogger(options.logger ?? consoleLogger);
  const tokensFrom: TokenSource = options.tokens ?? (() => process.env.PARAPET_METRICS_TOKENS);

  return async (request) => {
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return text(405, 'Method not allowed: use GET.\n', { allow: 'GET, HEAD' });
      }
      const tokens = resolveTokens(tokensFrom);
      if (tokens.length > 0) {
        if (!tokenMatches(bearerToken(request.headers.get('authorization')), tokens)) {
          return text(401, 'Unauthorized: send "Authorization: Bearer <token>" with one of the configured metrics tokens.\n', {
            'www-authenticate': 'Bearer realm="parapet-metrics"',
          });
        }
      } else if (!options.public && (options.environment ?? process.env.NODE_ENV) === 'production') {
        log.error(
          'metrics-insecure',
          'refusing to serve /metrics in production without a token. Set PARAPET_METRICS_TOKENS (comma-separated) ' +
            'and give Prometheus the token (authorization.credentials_file), or pass { public: true } if this port is private.',
        );
        return text(403, 'Forbidden: /metrics has no token configured in production. Set PARAPET_METRICS_TOKENS or mark the endpoint public.\n');
      }
      const format = negotiateFormat(request.headers.get('accept'));
      if (!format) {
        return text(406, 'Not acceptable: this endpoint serves text/plain (Prometheus 0.0.4) or application/openmetrics-text.\n');
      }
      const { body, contentType } = await renderRegistry(registry, format);
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: { 'content-type': contentType, 'cache-control': 'no-store' },
      });
    } catch (error) {
      log.error('metrics-render', `metrics endpoint failed: ${error instanceof Error ? error.message : String(error)}`);
      return text(500, 'Internal error while rendering metrics; see the application log.\n');
    }
  };
}
