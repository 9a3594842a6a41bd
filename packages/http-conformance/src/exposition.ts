import { parseExposition, type Sample } from '@parapet/vitest-preset/exposition';

export { parseExposition, type Sample };

export const HTTP_LABELS = ['route', 'method', 'status_class', 'status_code'] as const;

/** `route method status_class status_code` of a sample: the identity of an HTTP series. */
export const seriesKey = (labels: Record<string, string>): string => HTTP_LABELS.map((l) => labels[l] ?? '').join(' ');

/** Value per series key for one metric name. */
export function valuesOf(samples: readonly Sample[], name: string, where: (s: Sample) => boolean = () => true): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples) if (s.name === name && where(s)) out.set(seriesKey(s.labels), s.value);
  return out;
}

export const REQUESTS = 'parapet_http_server_requests_total';

/** Requests per series key, without the series core creates at 0 for SLOs (checked on their own). */
export const requestCounts = (samples: readonly Sample[]): Map<string, number> => valuesOf(samples, REQUESTS, (s) => s.value > 0);

/** The zero series core keeps next to every (route, method): `5xx 500`, so increase() sees the first server error. */
export function expectedZeroSeries(recorded: ReadonlyMap<string, number>): Map<string, number> {
  const zeros = new Map<string, number>();
  for (const key of recorded.keys()) {
    const [route, method] = key.split(' ');
    const zero = `${route} ${method} 5xx 500`;
    if (!recorded.has(zero)) zeros.set(zero, 0);
  }
  return zeros;
}
export const DURATION = 'parapet_http_server_request_duration_seconds';
