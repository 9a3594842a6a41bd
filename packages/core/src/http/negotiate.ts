export const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS_TEXT = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

export type ExpositionFormat = 'prometheus' | 'openmetrics';

interface MediaRange { type: string; q: number; order: number }

function parseAccept(header: string): MediaRange[] {
  return header.split(',').map((part, order) => {
    const [type = '', ...params] = part.trim().split(';').map((s) => s.trim());
    let q = 1;
    for (const p of params) {
      const [k, v] = p.split('=');
      if (k?.trim().toLowerCase() === 'q') {
        const parsed = Number(v);
        q = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 0;
      }
    }
    return { type: type.toLowerCase(), q, order };
  });
}

function qualityOf(ranges: MediaRange[], type: string): number {
  const [major] = type.split('/');
  let best: { q: number; specificity: number } | undefined;
  for (const r of ranges) {
    const specificity = r.type === type ? 3 : r.type === `${major}/*` ? 2 : r.type === '*/*' ? 1 : 0;
    if (specificity > 0 && (!best || specificity > best.specificity)) best = { q: r.q, specificity };
  }
  return best?.q ?? 0;
}

/**
 * Pick the exposition format from an Accept header: OpenMetrics when the client prefers it
 * (Prometheus sends it first with a higher q), Prometheus text otherwise. `undefined` means
 * the client accepts neither (answer 406).
 */
export function negotiateFormat(accept: string | null): ExpositionFormat | undefined {
  if (!accept || accept.trim() === '') return 'prometheus';
  const ranges = parseAccept(accept);
  const om = qualityOf(ranges, 'application/openmetrics-text');
  const text = qualityOf(ranges, 'text/plain');
  if (om === 0 && text === 0) return undefined;
  return om > text ? 'openmetrics' : 'prometheus';
}
