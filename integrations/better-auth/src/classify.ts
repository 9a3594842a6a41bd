/**
 * How one better-auth endpoint call maps onto a journey step. Pure functions, so the rules are
 * tested without a database.
 */

/** OAuth providers known by name; any other becomes `oauth_other` (extend with `oauthProviders`). */
export const KNOWN_OAUTH_PROVIDERS = [
  'apple', 'atlassian', 'cognito', 'discord', 'dropbox', 'facebook', 'figma', 'github', 'gitlab', 'google', 'huggingface',
  'kakao', 'kick', 'line', 'linear', 'linkedin', 'microsoft', 'naver', 'notion', 'paypal', 'polar', 'reddit', 'roblox',
  'salesforce', 'slack', 'spotify', 'tiktok', 'twitch', 'twitter', 'vercel', 'vk', 'zoom',
] as const;

/** Every sign-in method label besides `oauth_<provider>`. */
export const SIGN_IN_METHODS = ['email', 'username', 'magic_link', 'passkey', 'email_otp', 'phone_number', 'two_factor', 'one_tap', 'anonymous', 'siwe', 'oauth_other', 'other'] as const;

export type Journey = 'login' | 'signup';

export interface Classified {
  journey: Journey;
  /** Bounded method label. */
  method: string;
  /** True for endpoints whose failure arrives as a redirect with `?error=` (OAuth, magic link). */
  redirects: boolean;
}

const RULES: Array<[RegExp, (m: RegExpExecArray, oauth: ReadonlySet<string>) => Omit<Classified, 'journey'> & { journey?: Journey }]> = [
  [/^\/sign-up\/email$/, () => ({ journey: 'signup', method: 'email', redirects: false })],
  [/^\/sign-in\/email$/, () => ({ method: 'email', redirects: false })],
  [/^\/sign-in\/username$/, () => ({ method: 'username', redirects: false })],
  [/^\/sign-in\/email-otp$/, () => ({ method: 'email_otp', redirects: false })],
  [/^\/sign-in\/phone-number$/, () => ({ method: 'phone_number', redirects: false })],
  [/^\/sign-in\/anonymous$/, () => ({ method: 'anonymous', redirects: false })],
  [/^\/sign-in\/social$/, () => ({ method: 'oauth_other', redirects: false })],
  [/^\/sign-in\/oauth2$/, () => ({ method: 'oauth_other', redirects: false })],
  [/^\/(?:oauth2\/)?callback\/([^/]+)$/, (m, oauth) => ({ method: oauthMethod(m[1]!, oauth), redirects: true })],
  [/^\/magic-link\/verify$/, () => ({ method: 'magic_link', redirects: true })],
  [/^\/passkey\/verify-authentication$/, () => ({ method: 'passkey', redirects: false })],
  [/^\/two-factor\/verify-(?:totp|otp|backup-code)$/, () => ({ method: 'two_factor', redirects: false })],
  [/^\/one-tap\/callback$/, () => ({ method: 'one_tap', redirects: false })],
  [/^\/siwe\/verify$/, () => ({ method: 'siwe', redirects: false })],
];

export function oauthMethod(provider: string, known: ReadonlySet<string>): string {
  const p = provider.toLowerCase();
  return known.has(p) ? `oauth_${p}` : 'oauth_other';
}

/** The journey and method of an endpoint path, or undefined for endpoints that are neither login nor signup. */
export function classifyPath(path: string | undefined, oauth: ReadonlySet<string>): Classified | undefined {
  if (!path) return undefined;
  for (const [re, make] of RULES) {
    const m = re.exec(path);
    if (m) {
      const c = make(m, oauth);
      return { journey: c.journey ?? 'login', method: c.method, redirects: c.redirects };
    }
  }
  return undefined;
}

interface ApiErrorLike {
  name?: unknown;
  statusCode?: unknown;
  status?: unknown;
  body?: { code?: unknown } | undefined;
  headers?: unknown;
}

export type Outcome = { outcome: 'success' } | { outcome: 'failure'; reason: string } | { outcome: 'neutral' };

/** A bounded reason: better-auth's UPPER_SNAKE error codes pass, anything else is its status. */
function reasonOf(e: ApiErrorLike, status: number): string {
  const code = e.body?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : `status_${status}`;
}

function redirectError(e: ApiErrorLike): string | undefined {
  const headers = e.headers as { get?: (n: string) => string | null } | undefined;
  const location = typeof headers?.get === 'function' ? headers.get('location') : undefined;
  if (!location) return undefined;
  try {
    const error = new URL(location, 'http://x').searchParams.get('error');
    return error ? (/^[a-z0-9_]{1,64}$/i.test(error) ? error.toLowerCase() : 'redirect_error') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Success when a session was created (or, for sign-up, a user was returned); failure when the
 * endpoint returned an APIError with status >= 400, or a redirect carrying `?error=` (OAuth,
 * magic link), or any redirect without a session from a callback; everything else (the redirect
 * to an OAuth provider, "two-factor required", "check your email") is neutral.
 */
export function classifyResult(input: { journey: Journey; redirects: boolean; newSession: unknown; returned: unknown }): Outcome {
  if (input.newSession) return { outcome: 'success' };
  const r = input.returned as ApiErrorLike | undefined;
  const isApiError = !!r && typeof r === 'object' && (r.name === 'APIError' || typeof r.statusCode === 'number') && typeof r.statusCode === 'number';
  if (isApiError) {
    const status = r!.statusCode as number;
    if (status >= 400) return { outcome: 'failure', reason: reasonOf(r!, status) };
    if (status >= 300 && status < 400) {
      const error = redirectError(r!);
      if (error) return { outcome: 'failure', reason: error };
      if (input.redirects) return { outcome: 'failure', reason: 'no_session' };
    }
    return { outcome: 'neutral' };
  }
  if (input.journey === 'signup' && r && typeof r === 'object' && 'user' in r && (r as { user?: unknown }).user) return { outcome: 'success' };
  return { outcome: 'neutral' };
}
