/** Flag keys are declared in code, so bounded; still, keep label values short and printable. */
export function flagLabel(key: unknown): string {
  if (typeof key !== 'string' || key === '') return '_unknown';
  return key.length > 128 ? '_too_long' : key;
}

/** A provider or source name as a label: lower case, `[a-z0-9_-]`, at most 32 characters. */
export function sourceLabel(name: unknown, fallback = '_unknown'): string {
  if (typeof name !== 'string') return fallback;
  const s = name.trim().toLowerCase().replace(/[^a-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 32);
  return s || fallback;
}
