import { ParapetError, isParapetError } from '@parapet/core/integration';

/** Node socket errors that mean "the database is not reachable right now". */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** SQLSTATEs worth a retry: connection exceptions, shutdown, resources, serialization, deadlock, lock timeout. */
const TRANSIENT_SQLSTATE = /^(08...|57P0[1-3]|53[0-9]{3}|40001|40P01|55P03|57014)$/;
const TRANSIENT_MESSAGE = /Connection terminated|connection error|timeout exceeded when trying to connect|terminating connection|Client was closed|server closed the connection|the database system is (starting up|shutting down)|no more connections allowed|server login has been failing|query_wait_timeout/i;

/** True for a database failure a retry may fix (the webhook answers 503 + Retry-After for these). */
export function isTransientDatabaseError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || TRANSIENT_SQLSTATE.test(code))) return true;
    if (e instanceof AggregateError && e.errors.some((inner) => isTransientDatabaseError(inner))) return true;
    if (e instanceof Error && TRANSIENT_MESSAGE.test(e.message)) return true;
  }
  return false;
}

/** Maps a transient database error to ParapetError('UNAVAILABLE'); anything else passes through. */
export function toUnavailable(error: unknown): unknown {
  if (isParapetError(error) || !isTransientDatabaseError(error)) return error;
  return new ParapetError('UNAVAILABLE', 'The evidence database is unavailable right now; nothing was recorded. Retry later (Alertmanager retries 5xx on its own).', { cause: error });
}
