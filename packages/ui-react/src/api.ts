import type { IncidentDetail, IncidentPage } from './types.js';

/** An error answer of the operator API, in words (the API's own message). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface QueueQuery {
  state: 'active' | 'resolved' | 'all';
  severity?: string;
  slo?: string;
  cursor?: string;
  limit?: number;
}

export type PageResult = { changed: true; page: IncidentPage; etag: string | null } | { changed: false };

async function failure(res: Response): Promise<ApiError> {
  let body: { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined;
  try {
    body = (await res.json()) as typeof body;
  } catch {
    body = undefined;
  }
  const message = body?.error?.message ?? `the operator API answered ${res.status} ${res.statusText}`.trim();
  return new ApiError(res.status, body?.error?.code ?? `HTTP_${res.status}`, message, body?.error?.details);
}

export function queueSearch(q: QueueQuery): string {
  const p = new URLSearchParams();
  p.set('state', q.state);
  if (q.severity) p.set('severity', q.severity);
  if (q.slo) p.set('slo', q.slo);
  p.set('limit', String(q.limit ?? 50));
  if (q.cursor) p.set('cursor', q.cursor);
  return p.toString();
}

/** The workbench's only way to the server: the operator HTTP contract under `apiBase`. */
export class OperatorApi {
  readonly base: string;
  constructor(apiBase: string) {
    this.base = apiBase.replace(/\/+$/, '');
  }

  private async request(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.base}${path}`, {
      credentials: 'same-origin',
      cache: 'no-store',
      ...init,
      headers: { accept: 'application/json', ...(init.headers as Record<string, string> | undefined) },
    });
  }

  /** One queue page; with `etag`, a cheap check that answers `{ changed: false }` on 304. */
  async listIncidents(q: QueueQuery, etag?: string | null): Promise<PageResult> {
    const res = await this.request(`/incidents?${queueSearch(q)}`, etag ? { headers: { 'if-none-match': etag } } : {});
    if (res.status === 304) return { changed: false };
    if (!res.ok) throw await failure(res);
    return { changed: true, page: (await res.json()) as IncidentPage, etag: res.headers.get('etag') };
  }

  async getIncident(id: string): Promise<IncidentDetail> {
    const res = await this.request(`/incidents/${encodeURIComponent(id)}`);
    if (!res.ok) throw await failure(res);
    return (await res.json()) as IncidentDetail;
  }

  /** POST JSON with an `Idempotency-Key` (one per operator intent). */
  async post<T>(path: string, body: unknown, idempotencyKey?: string): Promise<{ body: T; replayed: boolean }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    const res = await this.request(path, { method: 'POST', headers, body: JSON.stringify(body) });
    if (!res.ok) throw await failure(res);
    return { body: (await res.json()) as T, replayed: res.headers.get('idempotency-replayed') === 'true' };
  }

  async get<T>(path: string): Promise<T> {
    const res = await this.request(path);
    if (!res.ok) throw await failure(res);
    return (await res.json()) as T;
  }

  /** Raw GET, for feature detection (a 404 means a route is not installed). */
  async probe(path: string): Promise<Response> {
    return this.request(path);
  }
}

/** A fresh idempotency key for one operator intent. */
export function newIntentKey(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
