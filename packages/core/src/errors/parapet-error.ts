/**
 * One error type for every Parapet surface. `code` is stable, UPPER_SNAKE and public API: HTTP
 * statuses, JSON error bodies and CLI exit codes all derive from it (see `ERROR_CODES`). The
 * message says what is wrong and how to fix it; `details` carries machine-readable context
 * (the option path, the accepted values, the slice name, ...).
 */

import { consoleLogger, RateLimitedLogger } from '../internal/logger.js';

/** Every error code Parapet raises, with the HTTP status and CLI exit code it maps to. */
export const ERROR_CODES = {
  /** An options object has an unknown key, a missing key or a value of the wrong type or range. */
  INVALID_OPTIONS: { status: 500, exitCode: 2 },
  /** A request's body, query or headers are malformed. */
  INVALID_REQUEST: { status: 400, exitCode: 1 },
  /** A request body exceeds the endpoint's size cap. */
  PAYLOAD_TOO_LARGE: { status: 413, exitCode: 1 },
  /** A request body has a media type the endpoint does not accept (JSON-only mutating routes). */
  UNSUPPORTED_MEDIA_TYPE: { status: 415, exitCode: 1 },
  /** Missing or wrong credentials. */
  UNAUTHORIZED: { status: 401, exitCode: 1 },
  /** Authenticated but not allowed, or refused by a secure default. */
  FORBIDDEN: { status: 403, exitCode: 1 },
  /** The route exists but not for this method. */
  METHOD_NOT_ALLOWED: { status: 405, exitCode: 1 },
  /** No representation matches the request's Accept header. */
  NOT_ACCEPTABLE: { status: 406, exitCode: 1 },
  /** The addressed resource does not exist. */
  NOT_FOUND: { status: 404, exitCode: 1 },
  /** The request conflicts with the current state (a stale version, a consumed token). */
  CONFLICT: { status: 409, exitCode: 1 },
  /** The resource existed but is no longer usable (an expired preview token). */
  GONE: { status: 410, exitCode: 1 },
  /** An Idempotency-Key was reused with a different request body. */
  IDEMPOTENCY_KEY_REUSED: { status: 422, exitCode: 1 },
  /** A dependency (database, Redis) failed transiently; retrying may succeed. */
  UNAVAILABLE: { status: 503, exitCode: 1 },
  /** attach() was called wrongly (duplicate integration, registry already attached, setup failed). */
  ATTACH_FAILED: { status: 500, exitCode: 1 },
  /** A metric definition breaks Prometheus naming or the label policy. */
  METRIC_DEFINITION: { status: 500, exitCode: 1 },
  /** A label value or label set breaks the metric's declared policy. */
  LABEL_POLICY: { status: 500, exitCode: 1 },
  /** An SLO spec or config is invalid. */
  SLO_SPEC: { status: 500, exitCode: 1 },
  /** A probe definition is invalid. */
  PROBE_DEFINITION: { status: 500, exitCode: 1 },
  /** A config file could not be found or loaded, or lacks a section the command needs (exits 2, like usage errors). */
  CONFIG_LOAD: { status: 500, exitCode: 2 },
  /** A command-line usage error. */
  USAGE: { status: 400, exitCode: 2 },
  /** An optional peer dependency the caller asked for is not installed. */
  MISSING_PEER: { status: 500, exitCode: 1 },
  /** Anything unexpected inside Parapet. */
  INTERNAL: { status: 500, exitCode: 1 },
} as const satisfies Record<string, { status: number; exitCode: number }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ParapetErrorOptions {
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class ParapetError extends Error {
  override name = 'ParapetError';
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: ParapetErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }

  /** HTTP status for this error's code. */
  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  /** Process exit code for this error's code (usage errors exit 2, others 1). */
  get exitCode(): number {
    return ERROR_CODES[this.code].exitCode;
  }

  /** The JSON error body every Parapet HTTP surface answers with. */
  toJSON(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(Object.keys(this.details).length > 0 && { details: this.details }) } };
  }
}

/**
 * The JSON body of every Parapet HTTP error:
 * `{ "error": { "code": "INVALID_REQUEST", "message": "…", "details": { … } } }`.
 */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

/** True for a ParapetError, also one from another copy of this package. */
export function isParapetError(value: unknown): value is ParapetError {
  if (value instanceof ParapetError) return true;
  if (!(value instanceof Error) || !('details' in value)) return false;
  const code: unknown = (value as { code?: unknown }).code;
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}

/** Where `errorResponse` logs the causes it hides (rate-limited per message: a hot path cannot flood). */
const internalLog = new RateLimitedLogger(consoleLogger);

/**
 * A fetch `Response` for an error: a ParapetError answers its own status and body; anything else
 * is a 500 `INTERNAL` whose body hides the cause. The hidden cause is logged to stderr (its
 * stack, at most once a minute per message) so "see the application log" is true.
 */
export function errorResponse(error: unknown, headers: Record<string, string> = {}): Response {
  const parapet = isParapetError(error)
    ? error
    : new ParapetError('INTERNAL', 'Internal error inside Parapet; see the application log.');
  if (!isParapetError(error)) {
    const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    internalLog.error(text.split('\n')[0]!, `answered 500 INTERNAL for: ${text}`);
  }
  return new Response(JSON.stringify(parapet.toJSON()), {
    status: parapet.status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}
