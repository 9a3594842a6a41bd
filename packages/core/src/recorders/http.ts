import { httpServerRequestDuration, httpServerRequests } from '../catalog/catalog.js';
import { normalizeMethod, routeLabel, statusClass, statusCodeLabel, validSeconds } from '../catalog/normalize.js';
import type { HttpServerRequestEvent } from '../events/types.js';
import type { CounterChild, HistogramChild } from '../metrics/sink.js';
import type { MetricsRuntime } from '../metrics/runtime.js';

interface Children { requests: CounterChild; duration: HistogramChild }

/** Status code label used for aborted requests (nginx's "client closed request"). */
export const ABORTED_STATUS_CODE = '499';

/**
 * HTTP server requests → request counter + duration histogram. The hot path is one Map lookup
 * on an already-bounded key and two additions; children are resolved once per label set.
 */
export function httpRecorder(rt: MetricsRuntime) {
  const requests = rt.counter(httpServerRequests);
  const duration = rt.histogram(httpServerRequestDuration);
  const cache = new Map<string, Children>();
  const cacheLimit = requests.maxSeries * 2;

  return (event: HttpServerRequestEvent): void => {
    const method = normalizeMethod(event.method);
    let cls: string;
    let code: string;
    if (event.aborted) {
      cls = 'aborted';
      code = ABORTED_STATUS_CODE;
    } else {
      const status = event.error !== undefined && !(event.statusCode >= 500) ? 500 : event.statusCode;
      cls = statusClass(status);
      code = statusCodeLabel(status);
    }
    const route = routeLabel(event.route);
    const key = `${route}\u0001${method}\u0001${code}\u0001${cls}`;
    let children = cache.get(key);
    if (children === undefined) {
      const r = requests.resolver;
      const values = [r.bound(0, route), r.bound(1, method), r.bound(2, cls), r.bound(3, code)];
      children = { requests: requests.childFor(values), duration: duration.childFor(values) };
      if (cache.size < cacheLimit) cache.set(key, children);
    }
    children.requests.inc(1);
    const seconds = validSeconds(event.durationSeconds);
    if (seconds === undefined) {
      rt.reportError('http.invalid_duration', new TypeError(`durationSeconds must be a finite number >= 0, got ${String(event.durationSeconds)}`));
      return;
    }
    children.duration.observe(seconds, event.traceId);
  };
}
