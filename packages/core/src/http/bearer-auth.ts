import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Bearer-token check shared by Parapet's HTTP handlers (metrics, webhook, operator API).
 * Several tokens may be valid at once so they can be rotated without downtime. Comparison is
 * constant-time: both sides are hashed to equal length and every configured token is compared,
 * so neither the token's length nor which token matched leaks through timing.
 */
export type TokenSource = string | readonly string[] | (() => string | readonly string[] | undefined) | undefined;

export function resolveTokens(source: TokenSource): string[] {
  const raw = typeof source === 'function' ? source() : source;
  const list = typeof raw === 'string' ? raw.split(',') : (raw ?? []);
  return list.map((t) => t.trim()).filter((t) => t.length > 0);
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Extract the token from an `Authorization: Bearer <token>` header. */
export function bearerToken(header: string | null): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
  return match?.[1];
}

export function tokenMatches(presented: string | undefined, tokens: readonly string[]): boolean {
  if (presented === undefined || tokens.length === 0) return false;
  const given = digest(presented);
  let ok = false;
  for (const token of tokens) {
    // No early exit: every token is compared.
    ok = timingSafeEqual(given, digest(token)) || ok;
  }
  return ok;
}
