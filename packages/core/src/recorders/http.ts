import { httpServerRequests } from '../catalog/catalog.js';
import { httpDurationDefinition } from '../http/duration-buckets.js';
import { normalizeMethod, routeLabel, statusClass, statusCodeLabel } from '../catalog/normalize.js';
import { OTHER_VALUE } from '../catalog/sentinels.js';
import { HTTP_METHODS } from '../catalog/values.js';
import type { HttpServerRequestEvent } from '../events/types.js';
import type { CounterChild, HistogramChild } from '../metrics/sink.js';
import type { MetricsRuntime } from '../metrics/runtime.js';
import { secondsObserver } from './observe.js';

interface Children { requests: CounterChild; duration: HistogramChild }

/** Status code label used for aborted requests (nginx's "client closed request"). */
export const ABORTED_STATUS_CODE = '499';

const METHOD_INDEX = new Map<string, number>(HTTP_METHODS.map((m, i) => [m, i]));
const OTHER_METHOD = HTTP_METHODS.length;
const ABORTED_SLOT = 600;
const INVALID_SLOT = 0;

/** 100–599 for a valid status, 600 for an abort, 0 for anything else; thrown errors count as 500. */
function statusSlot(event: HttpServerRequestEvent): number {
  if (event.aborted) return ABORTED_SLOT;
  const code = event.statusCode;
  if (event.error !== undefined && !(code >= 500)) return 500;
  return Number.isInteger(code) && code >= 100 && code < 600 ? code : INVALID_SLOT;
}

/**
 * HTTP server requests → request counter + duration histogram. The hot path does a lookup by
 * route (an interned string whose hash is cached) and one by a small integer (method × status),
 * then two additions; children are resolved once per label set. Both caches are bounded.
 */
export function httpRecorder(rt: MetricsRuntime) {
  const requests = rt.counter(httpServerRequests);
  // Created at the first request, so an adapter's `buckets` option set up after attach() applies.
  let duration: ReturnType<MetricsRuntime['histogram']> | undefined;
  const byRoute = new Map<string, Map<number, Children>>();
  const routeLimit = requests.maxSeries;
  const r = requests.resolver;
  const observeDuration = secondsObserver({ metrics: rt, family: 'http.server.request', field: 'durationSeconds' });

  function resolve(route: string, method: number, slot: number): Children {
    const cls = slot === ABORTED_SLOT ? 'aborted' : statusClass(slot);
    const code = slot === ABORTED_SLOT ? ABORTED_STATUS_CODE : statusCodeLabel(slot);
    const values = [r.bound(0, route), r.bound(1, HTTP_METHODS[method] ?? OTHER_VALUE), r.bound(2, cls), r.bound(3, code)];
    duration ??= rt.histogram(httpDurationDefinition());
    return { requests: requests.childFor(values), duration: duration.childFor(values) };
  }

  return (event: HttpServerRequestEvent): void => {
    const route = routeLabel(event.route);
    const method = METHOD_INDEX.get(event.method) ?? METHOD_INDEX.get(normalizeMethod(event.method)) ?? OTHER_METHOD;
    const key = method * 1000 + statusSlot(event);
    let perRoute = byRoute.get(route);
    if (perRoute === undefined) {
      perRoute = new Map();
      if (byRoute.size < routeLimit) byRoute.set(route, perRoute);
    }
    let children = perRoute.get(key);
    if (children === undefined) {
      children = resolve(route, method, key % 1000);
      perRoute.set(key, children);
    }
    children.requests.inc(1);
    const duration = children.duration;
    // Required field: a missing duration is bad input, reported like an invalid one.
    observeDuration(event.durationSeconds ?? Number.NaN, () => duration, event.traceId);
  };
}
