/** Prometheus-style durations restricted to the units SLO windows use (m, h, d). */
const DURATION = /^([1-9][0-9]*)(m|h|d)$/;
const MINUTES = { m: 1, h: 60, d: 1440 } as const;

export function isDuration(text: string): boolean {
  return DURATION.test(text);
}

export function durationMinutes(text: string): number {
  const match = DURATION.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a duration like 5m, 1h or 3d`);
  return Number(match[1]) * MINUTES[match[2] as keyof typeof MINUTES];
}

/** Shortest exact form: 1440 -> "1d", 90 -> "90m". */
export function formatMinutes(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}
