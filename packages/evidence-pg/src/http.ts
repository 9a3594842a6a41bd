import { timingSafeEqual, createHash } from 'node:crypto';
import { ParapetError, errorResponse } from '@parapet/core/integration';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Reads a JSON body with a size cap: 413 past the cap, 415 when not JSON, 400 when unparseable. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(type)) {
    throw new ParapetError('UNSUPPORTED_MEDIA_TYPE', `send the body as application/json (got ${type ? JSON.stringify(type) : 'no Content-Type'}).`);
  }
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new ParapetError('INVALID_REQUEST', 'the body is not valid JSON.');
  }
}

function tooLarge(maxBytes: number): ParapetError {
  return new ParapetError('PAYLOAD_TOO_LARGE', `the body is larger than ${maxBytes} bytes; raise maxBodyBytes or lower Alertmanager's max_alerts.`, { details: { maxBodyBytes: maxBytes } });
}

/** Constant-time string comparison (hashing first, so lengths do not leak either). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** True when `candidate` equals any of `secrets`; every secret is compared (no early exit). */
export function matchesAny(candidate: string, secrets: readonly string[]): boolean {
  let ok = false;
  for (const s of secrets) ok = safeEqual(candidate, s) || ok;
  return ok;
}

export function bearerToken(request: Request): string | undefined {
  const m = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '');
  return m?.[1]?.trim();
}

export function basicCredentials(request: Request): { username: string; password: string } | undefined {
  const m = /^Basic\s+(.+)$/i.exec(request.headers.get('authorization') ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!.trim(), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i < 0 ? undefined : { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers } });
}

/** errorResponse plus `Retry-After` on 503 (Alertmanager and clients retry). */
export function failure(error: unknown, retryAfterSeconds: number): Response {
  const status = (error as { status?: number })?.status;
  return errorResponse(error, status === 503 ? { 'retry-after': String(retryAfterSeconds) } : {});
}
