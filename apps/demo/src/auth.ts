import type { Actor } from '@parapet/evidence-pg';

/**
 * The demo's operator authentication: `PARAPET_OPERATOR_TOKENS` as `Authorization: Bearer <token>`
 * (scripts, tests, MCP clients), or — for a browser — the same token in an HttpOnly cookie set by
 * the demo's sign-in form (`/demo/login`). One `authorize` decides for the operator API and the
 * workbench; the operator API keeps its own CSRF rule (mutations only from the same origin), and
 * the cookie is `SameSite=Strict` on top of it.
 */
export const OPERATOR_COOKIE = 'parapet_operator';

export interface OperatorAuth {
  /** The actor for a request's Bearer token or sign-in cookie; null when neither is valid. */
  authorize(request: Request): Actor | null;
  /** Bearer only (the MCP endpoint's `verify`: assistants send a token, never a browser cookie). */
  bearer(request: Request): { id: string; name: string } | null;
  /** The actor for a raw token (the sign-in form). */
  actorFor(token: string): Actor | null;
  /** `Set-Cookie` value signing a browser in with `token` (HttpOnly, SameSite=Strict, Path=/parapet). */
  cookie(token: string, secure: boolean): string;
  /** `Set-Cookie` value signing out. */
  clearCookie(): string;
}

function cookieValue(header: string | null, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      try {
        return decodeURIComponent(part.slice(at + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function operatorAuth(operators: readonly { actor: string; token: string }[]): OperatorAuth {
  const byToken = new Map(operators.map((o) => [o.token, o.actor]));
  const actorFor = (token: string | undefined): Actor | null => {
    const actor = token ? byToken.get(token) : undefined;
    return actor ? { id: actor, name: actor, role: 'responder' } : null;
  };
  const bearerToken = (request: Request) => /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
  return {
    authorize: (request) => actorFor(bearerToken(request)) ?? actorFor(cookieValue(request.headers.get('cookie'), OPERATOR_COOKIE)),
    bearer(request) {
      const actor = actorFor(bearerToken(request));
      return actor ? { id: actor.id, name: actor.name } : null;
    },
    actorFor: (token) => actorFor(token),
    cookie: (token, secure) => `${OPERATOR_COOKIE}=${encodeURIComponent(token)}; Path=/parapet; HttpOnly; SameSite=Strict; Max-Age=43200${secure ? '; Secure' : ''}`,
    clearCookie: () => `${OPERATOR_COOKIE}=; Path=/parapet; HttpOnly; SameSite=Strict; Max-Age=0`,
  };
}

/** Only a path inside the workbench is a place to go after signing in (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/parapet(\/[^/\\]|\/?$)/.test(next) && !next.includes('//') ? next : '/parapet/';
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The sign-in form: paste an operator token (printed at start-up, or one of PARAPET_OPERATOR_TOKENS). */
export function loginPage(args: { next: string; error?: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in — Parapet demo</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:30rem;margin:3rem auto;padding:0 1rem}input,button{font-size:1rem;padding:.4rem}input{width:100%;box-sizing:border-box}</style>
</head><body>
<h1>Sign in to the workbench</h1>
${args.error ? `<p style="color:#b00">${escape(args.error)}</p>` : ''}<form method="post" action="/demo/login">
<p><label for="token">Operator token (printed at start-up; <code>PARAPET_OPERATOR_TOKENS</code>)</label><br>
<input id="token" name="token" type="password" autocomplete="current-password" required></p>
<input type="hidden" name="next" value="${escape(args.next)}">
<p><button type="submit">Sign in</button></p></form>
<p>The token is kept in an HttpOnly cookie for this site only. <a href="/">Back to the demo</a></p>
</body></html>
`;
}
