import type { Registry } from 'prom-client';
import * as z from 'zod';
import { errorResponse, ParapetError } from '../errors/parapet-error.js';
import { recordsOnlyElsewhere } from '../internal/attachments.js';
import { consoleLogger, RateLimitedLogger, type Logger } from '../internal/logger.js';
import { parseOptions } from '../internal/options.js';
import { loadPromClient } from '../internal/peer.js';
import { bearerToken, resolveTokens, tokenMatches, type TokenSource } from './bearer-auth.js';
import { renderRegistry } from './exposition.js';
import { negotiateFormat } from './negotiate.js';

export interface MetricsHandlerOptions {
  /**
   * Registry to serve. Default: prom-client's global registry (where attach() records by default).
   * Prefer `handle.metricsHandler()`, which always serves the attachment's own registry.
   */
  registry?: Registry;
  /**
   * Accepted bearer tokens (several, for rotation), a comma-separated string, or a function read
   * on each request. Default: the `PARAPET_METRICS_TOKENS` environment variable.
   */
  tokens?: TokenSource;
  /** Serve without a token in every environment. Only for endpoints not reachable from outside. */
  public?: boolean;
  logger?: Logger;
  /**
   * Environment name; default `process.env.NODE_ENV`. Without a token, metrics are served only
   * when it is exactly `development` or `test` (see OPEN_ENVIRONMENTS).
   */
  environment?: string;
}

export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * The only environments in which /metrics is served without a token (and without `public`).
 * Exact, case-sensitive matches: anything else, including an unset NODE_ENV, `Development`,
 * `prod` or `staging`, fails closed.
 */
export const OPEN_ENVIRONMENTS: readonly string[] = ['development', 'test'];

const isFunction = (value: unknown) => typeof value === 'function';
const handlerSchema = z.strictObject({
  registry: z
    .custom<Registry>((v) => typeof v === 'object' && v !== null && isFunction((v as Registry).getMetricsAsArray), {
      message: 'must be a prom-client Registry (`new Registry()` from "prom-client")',
    })
    .optional(),
  tokens: z
    .custom<TokenSource>(
      (v) => typeof v === 'string' || isFunction(v) || (Array.isArray(v) && v.every((t) => typeof t === 'string')),
      { message: 'must be a token string (comma-separated for several), an array of token strings, or a function returning either' },
    )
    .optional(),
  public: z.boolean().optional(),
  logger: z
    .custom<Logger>((v) => typeof v === 'object' && v !== null && isFunction((v as Logger).warn) && isFunction((v as Logger).error), {
      message: 'must be a logger with warn() and error() methods',
    })
    .optional(),
  environment: z.string().optional(),
});

const HOW_TO_FIX =
  'Set PARAPET_METRICS_TOKENS (comma-separated) or pass { tokens } to the handler (metricsHandler({ tokens }), createMetricsHandler({ tokens })) and give Prometheus the token ' +
  '(authorization.credentials_file); or set NODE_ENV=development / NODE_ENV=test on a developer machine; or pass ' +
  '{ public: true } if this port is not reachable from outside.';

/**
 * The /metrics endpoint as a fetch-standard handler. Secure by default: with tokens configured
 * a valid `Authorization: Bearer` header is required; with none configured it serves only when
 * the environment is exactly `development` or `test`, or when `public: true`. Answers
 * Prometheus text or OpenMetrics by Accept. Errors use Parapet's JSON error body.
 */
export function createMetricsHandler(options: MetricsHandlerOptions = {}): FetchHandler {
  const parsed = parseOptions(handlerSchema, options, 'createMetricsHandler()');
  const registry = parsed.registry ?? loadPromClient('createMetricsHandler()').register;
  const log = new RateLimitedLogger(parsed.logger ?? consoleLogger);
  const tokensFrom: TokenSource = parsed.tokens ?? (() => process.env.PARAPET_METRICS_TOKENS);
  let pairingChecked = parsed.registry !== undefined;

  /** Warn once when this handler serves the global registry while Parapet records elsewhere. */
  const checkPairing = () => {
    if (pairingChecked || !recordsOnlyElsewhere(registry)) return;
    pairingChecked = true;
    log.warn(
      'metrics-registry-pairing',
      "createMetricsHandler(): serving prom-client's global registry, but Parapet is attached only to another registry, " +
        "so this endpoint shows none of Parapet's metrics. Serve the attachment's registry: use handle.metricsHandler() " +
        '(const parapet = attach({ registry }); parapet.metricsHandler()) or pass createMetricsHandler({ registry }).',
    );
  };
  checkPairing();

  return async (request) => {
    try {
      checkPairing();
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return errorResponse(new ParapetError('METHOD_NOT_ALLOWED', `Method ${request.method} not allowed on the metrics endpoint: use GET.`), { allow: 'GET, HEAD' });
      }
      const tokens = resolveTokens(tokensFrom);
      if (tokens.length > 0) {
        if (!tokenMatches(bearerToken(request.headers.get('authorization')), tokens)) {
          return errorResponse(
            new ParapetError('UNAUTHORIZED', 'Unauthorized: send "Authorization: Bearer <token>" with one of the configured metrics tokens.'),
            { 'www-authenticate': 'Bearer realm="parapet-metrics"' },
          );
        }
      } else if (!parsed.public) {
        const environment = parsed.environment ?? process.env.NODE_ENV;
        if (environment === undefined || !OPEN_ENVIRONMENTS.includes(environment)) {
          const shown = environment === undefined ? 'NODE_ENV is not set' : `the environment is ${JSON.stringify(environment)}`;
          log.error(
            'metrics-insecure',
            `refusing to serve /metrics without a token: ${shown}, and only exactly "development" or "test" serve without one. ${HOW_TO_FIX}`,
          );
          return errorResponse(
            new ParapetError('FORBIDDEN', `Forbidden: /metrics has no token configured and ${shown}. ${HOW_TO_FIX}`, {
              details: { environment: environment ?? null, openEnvironments: OPEN_ENVIRONMENTS },
            }),
          );
        }
      }
      const format = negotiateFormat(request.headers.get('accept'));
      if (!format) {
        return errorResponse(
          new ParapetError('NOT_ACCEPTABLE', 'Not acceptable: this endpoint serves text/plain (Prometheus 0.0.4) or application/openmetrics-text.'),
        );
      }
      const { body, contentType } = await renderRegistry(registry, format);
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: { 'content-type': contentType, 'cache-control': 'no-store' },
      });
    } catch (error) {
      log.error('metrics-render', `metrics endpoint failed: ${error instanceof Error ? error.message : String(error)}`);
      return errorResponse(error instanceof ParapetError ? error : new ParapetError('INTERNAL', 'Internal error while rendering metrics; see the application log.'));
    }
  };
}
