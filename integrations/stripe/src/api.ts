import { publishJourneyStep } from '@parapet/core';
import { normalizeMethod, type BoundedCounter, type BoundedHistogram } from '@parapet/core/integration';
import type { StripeApiOutcome } from './metrics.js';
import { stripePathTemplate } from './paths.js';

export interface RequestEventLike {
  idempotency_key?: string;
  method?: string;
  path?: string;
  request_start_time: number;
}
export interface ResponseEventLike extends Partial<RequestEventLike> {
  status?: number;
  elapsed?: number;
  request_id?: string;
}

interface Call {
  method: string;
  /** Raw path, to pair keyless retries; never a label. */
  rawPath: string;
  /** Bounded template. */
  path: string;
  attempts: number;
  /** When the last attempt started (Date.now()). */
  lastAttemptAt: number;
  /** Start time of the first attempt, as the client reported it. */
  firstStart: number;
  keyed: boolean;
  attemptKeys: string[];
}

export interface ApiTrackerOptions {
  requests: BoundedCounter;
  duration: BoundedHistogram;
  retries: BoundedCounter;
  /** `METHOD /template` entries that start a checkout. */
  checkoutEndpoints: ReadonlySet<string>;
  checkoutJourney: string;
  responseDeadlineMs: number;
  maxInFlight: number;
  now?: () => number;
}

export function outcomeOf(status: number | undefined): StripeApiOutcome {
  if (status === undefined) return 'no_response';
  if (status < 400) return 'ok';
  if (status === 402) return 'declined';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return 'client_error';
}

/**
 * Pairs the client's 'request' events (one per attempt) with its 'response' events (one per
 * call that was not retried). An attempt followed by another attempt of the same call was
 * retried; a call with neither a response nor a new attempt within `responseDeadlineMs` got no
 * response (connection error or timeout after the last retry).
 */
export class ApiTracker {
  private readonly calls = new Map<string, Call>();
  private readonly attempts = new Map<string, string>();
  private readonly now: () => number;

  constructor(private readonly o: ApiTrackerOptions) {
    this.now = o.now ?? Date.now;
  }

  get inFlight(): number {
    return this.calls.size;
  }

  onRequest(e: RequestEventLike): void {
    const method = (e.method ?? 'GET').toUpperCase();
    const rawPath = e.path ?? '';
    const attemptKey = `${method} ${rawPath} ${e.request_start_time}`;
    const existing = e.idempotency_key ? this.calls.get(`k:${e.idempotency_key}`) : undefined;
    if (existing) {
      existing.attempts++;
      existing.lastAttemptAt = this.now();
      existing.attemptKeys.push(attemptKey);
      this.attempts.set(attemptKey, `k:${e.idempotency_key}`);
      this.o.retries.labels({ endpoint: existing.path, method: normalizeMethod(method) }).inc(1);
      return;
    }
    const id = e.idempotency_key ? `k:${e.idempotency_key}` : `a:${attemptKey}`;
    if (this.calls.size >= this.o.maxInFlight) {
      const [oldestId, oldest] = this.calls.entries().next().value as [string, Call];
      this.remove(oldestId, oldest);
      this.finish(oldest, 'no_response');
    }
    this.calls.set(id, {
      method, rawPath, path: stripePathTemplate(e.path), attempts: 1, lastAttemptAt: this.now(), firstStart: e.request_start_time,
      keyed: !!e.idempotency_key, attemptKeys: [attemptKey],
    });
    this.attempts.set(attemptKey, id);
  }

  onResponse(e: ResponseEventLike): void {
    const method = (e.method ?? 'GET').toUpperCase();
    const rawPath = e.path ?? '';
    // Stripe echoes the Idempotency-Key header; when it does not, the attempt's start time pairs them.
    const id = e.idempotency_key && this.calls.has(`k:${e.idempotency_key}`) ? `k:${e.idempotency_key}` : this.attempts.get(`${method} ${rawPath} ${e.request_start_time ?? ''}`);
    let call = id ? this.calls.get(id) : undefined;
    if (call && id) {
      this.remove(id, call);
      if (!call.keyed) {
        // Earlier attempts of the same keyless call (retried GETs) have no response of their own.
        for (const [otherId, other] of this.calls) {
          if (!other.keyed && other.method === method && other.rawPath === rawPath && other.firstStart < call.firstStart) {
            this.remove(otherId, other);
            call.attempts += other.attempts;
            this.o.retries.labels({ endpoint: other.path, method: normalizeMethod(method) }).inc(1);
          }
        }
      }
    } else {
      // A response whose request was emitted before Parapet attached, or after the deadline expired it.
      call = { method, rawPath, path: stripePathTemplate(e.path), attempts: 1, lastAttemptAt: this.now(), firstStart: 0, keyed: false, attemptKeys: [] };
    }
    this.finish(call, outcomeOf(e.status), typeof e.elapsed === 'number' ? e.elapsed / 1000 : undefined);
  }

  /** Calls whose last attempt is older than the deadline got no response. */
  sweep(): void {
    const cutoff = this.now() - this.o.responseDeadlineMs;
    for (const [id, call] of this.calls) {
      if (call.lastAttemptAt > cutoff) continue;
      this.remove(id, call);
      // A keyless attempt with a later attempt of the same method and path was retried, not lost.
      const later = call.keyed ? undefined : [...this.calls.values()].find((c) => !c.keyed && c.method === call.method && c.rawPath === call.rawPath && c.firstStart > call.firstStart);
      if (later) {
        later.attempts += call.attempts;
        this.o.retries.labels({ endpoint: call.path, method: normalizeMethod(call.method) }).inc(1);
      } else this.finish(call, 'no_response');
    }
  }

  private remove(id: string, call: Call): void {
    this.calls.delete(id);
    for (const k of call.attemptKeys) this.attempts.delete(k);
  }

  private finish(call: Call, outcome: StripeApiOutcome, seconds?: number): void {
    const labels = { endpoint: call.path, method: normalizeMethod(call.method), outcome };
    this.o.requests.labels(labels).inc(1);
    if (seconds !== undefined && Number.isFinite(seconds) && seconds >= 0) this.o.duration.labels(labels).observe(seconds);
    if (this.o.checkoutEndpoints.has(`${call.method} ${call.path}`) && outcome !== 'declined') {
      publishJourneyStep({
        journey: this.o.checkoutJourney,
        step: 'start',
        outcome: outcome === 'ok' ? 'success' : 'failure',
        ...(outcome !== 'ok' && { reason: outcome }),
        ...(seconds !== undefined && seconds >= 0 && { durationSeconds: seconds }),
      });
    }
  }
}
