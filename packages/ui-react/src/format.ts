/** "3h 12m", "45s": how long between two instants. */
export function duration(fromIso: string, to: number = Date.now()): string {
  let s = Math.max(0, Math.round((to - Date.parse(fromIso)) / 1000));
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

/** A readable UTC timestamp (operators compare across time zones). */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Severity as words plus a shape, so colour is never the only carrier. */
export function severityInfo(severity: string | null): { label: string; shape: string; tone: 'page' | 'ticket' | 'other' } {
  const s = (severity ?? '').toLowerCase();
  if (s === 'page' || s === 'critical') return { label: severity!, shape: '▲', tone: 'page' };
  if (s === 'ticket' || s === 'warning') return { label: severity!, shape: '◆', tone: 'ticket' };
  return { label: severity || 'no severity', shape: '●', tone: 'other' };
}
