import { describe, expect, it } from 'vitest';
import { ApiTracker, outcomeOf } from './api.js';

function recorder() {
  const counts = new Map<string, number>();
  const metric = (name: string) => ({
    labels: (l: Record<string, string>) => ({
      inc: (n: number) => counts.set(`${name} ${JSON.stringify(l)}`, (counts.get(`${name} ${JSON.stringify(l)}`) ?? 0) + n),
      observe: () => {},
    }),
  });
  return { counts, requests: metric('requests'), duration: metric('duration'), retries: metric('retries') };
}

function tracker(deadline = 1000) {
  let now = 0;
  const r = recorder();
  const t = new ApiTracker({
    requests: r.requests as never, duration: r.duration as never, retries: r.retries as never,
    checkoutEndpoints: new Set(), checkoutJourney: 'checkout', responseDeadlineMs: deadline, maxInFlight: 3, now: () => now,
  });
  return { t, r, advance: (ms: number) => (now += ms) };
}
const req = (path: string, start: number, key?: string, method = 'GET') => ({ method, path, request_start_time: start, ...(key && { idempotency_key: key }) });

describe('ApiTracker', () => {
  it('pairs a response with its request and leaves nothing in flight', () => {
    const { t, r } = tracker();
    t.onRequest(req('/v1/customers/cus_1', 1, 'k1', 'POST'));
    t.onResponse({ ...req('/v1/customers/cus_1', 1, undefined, 'POST'), status: 200, elapsed: 5 });
    expect(t.inFlight).toBe(0);
    expect(r.counts.get('requests {"endpoint":"/v1/customers/:id","method":"POST","outcome":"ok"}')).toBe(1);
  });

  it('an attempt with neither response nor retry before the deadline is no_response; a keyless retry is not', () => {
    const { t, r, advance } = tracker();
    t.onRequest(req('/v1/customers/cus_1', 1));
    advance(500);
    t.onRequest(req('/v1/customers/cus_1', 501)); // retry of the same GET
    advance(600);
    t.sweep(); // the first attempt expired, but a later one exists: a retry
    expect(r.counts.get('retries {"endpoint":"/v1/customers/:id","method":"GET"}')).toBe(1);
    expect(t.inFlight).toBe(1);
    advance(1000);
    t.sweep();
    expect(r.counts.get('requests {"endpoint":"/v1/customers/:id","method":"GET","outcome":"no_response"}')).toBe(1);
    expect(t.inFlight).toBe(0);
  });

  it('bounds what it tracks: beyond maxInFlight the oldest counts as no_response', () => {
    const { t, r } = tracker();
    for (let i = 0; i < 4; i++) t.onRequest(req(`/v1/charges/ch_${i}`, i));
    expect(t.inFlight).toBe(3);
    expect(r.counts.get('requests {"endpoint":"/v1/charges/:id","method":"GET","outcome":"no_response"}')).toBe(1);
  });

  it('classifies statuses', () => {
    expect([200, 302, 402, 404, 409, 429, 500, undefined].map(outcomeOf)).toEqual(['ok', 'ok', 'declined', 'client_error', 'client_error', 'rate_limited', 'server_error', 'no_response']);
  });
});
