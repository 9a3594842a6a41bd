/**
 * Alertmanager's alert fingerprint (`model.LabelSet.Fingerprint()` in prometheus/common): 64-bit
 * FNV-1a over the label names in sorted order, each name and value followed by the separator
 * byte 0xff, printed as 16 lower-case hex digits. Stable across replicas and restarts, so an alert
 * delivered by Parapet's in-process monitor dedupes and auto-resolves exactly like one delivered
 * by Alertmanager.
 */
const OFFSET = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;
const SEPARATOR = 0xff;
const encoder = new TextEncoder();

export function alertFingerprint(labels: Readonly<Record<string, string>>): string {
  let hash = OFFSET;
  const add = (byte: number) => {
    hash = ((hash ^ BigInt(byte)) * PRIME) & MASK;
  };
  for (const name of Object.keys(labels).sort()) {
    for (const byte of encoder.encode(name)) add(byte);
    add(SEPARATOR);
    for (const byte of encoder.encode(labels[name]!)) add(byte);
    add(SEPARATOR);
  }
  return hash.toString(16).padStart(16, '0');
}
