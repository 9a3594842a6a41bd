import * as z from 'zod';
import { ParapetError, parseOptions } from '@parapet/core/integration';
import type { EvidenceStore } from './contract.js';
import { DEFAULT_MAX_BODY_BYTES, basicCredentials, bearerToken, failure, json, matchesAny, readJsonBody } from './http.js';
import { toUnavailable } from './transient.js';
import type { IngestResult } from './types.js';

/** One delivery, for metrics and logs. */
export interface DeliveryOutcome {
  outcome: 'ok' | 'invalid' | 'unauthorized' | 'too_large' | 'unavailable' | 'error';
  status: number;
  seconds: number;
  result?: IngestResult;
}

export interface AlertmanagerWebhookOptions {
  store: EvidenceStore;
  /** Accepted bearer tokens (several, for rotation). */
  tokens?: readonly string[];
  /** Accepted Basic credentials. */
  basic?: readonly { username: string; password: string }[];
  /** Explicitly accept unauthenticated deliveries (never the default). */
  allowUnauthenticated?: boolean;
  /** Body cap in bytes (default 1 MiB); larger bodies answer 413. */
  maxBodyBytes?: number;
  /** Retry-After seconds on 503 (default 5). */
  retryAfterSeconds?: number;
  /** Called after every delivery (metrics: deliveries by outcome, ingest latency). Never throws into the handler. */
  onDelivery?: (outcome: DeliveryOutcome) => void;
}

const schema = z.strictObject({
  store: z.custom<EvidenceStore>((v) => typeof (v as EvidenceStore)?.ingestAlertmanager === 'function', 'an evidence store from createEvidenceStore()'),
  tokens: z.array(z.string().min(16, 'tokens must be at least 16 characters')).default([]),
  basic: z.array(z.strictObject({ username: z.string().min(1), password: z.string().min(12) })).default([]),
  allowUnauthenticated: z.boolean().default(false),
  maxBodyBytes: z.number().int().positive().default(DEFAULT_MAX_BODY_BYTES),
  retryAfterSeconds: z.number().int().positive().default(5),
  onDelivery: z.function().optional(),
});

/**
 * The Alertmanager webhook as a fetch handler `(Request) => Promise<Response>`. Mount it at
 * `POST <mount>/alertmanager`. Commits before answering 200; transient database failures answer
 * 503 with Retry-After so Alertmanager retries; 4xx only for requests that can never succeed.
 */
export function createAlertmanagerWebhook(options: AlertmanagerWebhookOptions): (request: Request) => Promise<Response> {
  const opts = parseOptions(schema, options, 'createAlertmanagerWebhook()');
  if (!opts.allowUnauthenticated && opts.tokens.length === 0 && opts.basic.length === 0) {
    throw new ParapetError('INVALID_OPTIONS', 'createAlertmanagerWebhook(): pass `tokens` (Bearer) or `basic` credentials, the same ones as Alertmanager\'s http_config; or `allowUnauthenticated: true` if a proxy authenticates for you.');
  }
  const onDelivery = opts.onDelivery as AlertmanagerWebhookOptions['onDelivery'];
  const report = (o: DeliveryOutcome) => {
    try {
      onDelivery?.(o);
    } catch {
      // metrics must never break ingest
    }
  };

  function authorized(request: Request): boolean {
    if (opts.allowUnauthenticated) return true;
    const token = bearerToken(request);
    if (token !== undefined && opts.tokens.length > 0) return matchesAny(token, opts.tokens);
    const basic = basicCredentials(request);
    if (basic && opts.basic.length > 0) {
      let ok = false;
      for (const c of opts.basic) ok = (matchesAny(basic.username, [c.username]) && matchesAny(basic.password, [c.password])) || ok;
      return ok;
    }
    return false;
  }

  return async (request) => {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      if (request.method !== 'POST') {
        throw new ParapetError('METHOD_NOT_ALLOWED', `the Alertmanager webhook accepts POST, not ${request.method}.`);
      }
      if (!authorized(request)) {
        report({ outcome: 'unauthorized', status: 401, seconds: seconds() });
        return failure(new ParapetError('UNAUTHORIZED', 'missing or wrong credentials: configure the same bearer token (http_config.authorization) or basic_auth in Alertmanager as in createAlertmanagerWebhook().'), opts.retryAfterSeconds);
      }
      const body = await readJsonBody(request, opts.maxBodyBytes);
      const result = await opts.store.ingestAlertmanager({ payload: body as never });
      report({ outcome: 'ok', status: 200, seconds: seconds(), result });
      return json(result);
    } catch (raw) {
      const error = toUnavailable(raw);
      const status = (error as { status?: number }).status ?? 500;
      const outcome = status === 503 ? 'unavailable' : status === 413 ? 'too_large' : status >= 500 ? 'error' : 'invalid';
      report({ outcome, status, seconds: seconds() });
      return failure(error, opts.retryAfterSeconds);
    }
  };
}
