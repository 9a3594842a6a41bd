/**
 * Minimal Prometheus text / OpenMetrics parser for assertions in tests, shared by every package's
 * tests (core, the HTTP conformance suite, ...).
 */

/** A sample line of a Prometheus text or OpenMetrics exposition. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Exemplar labels after `#`, when the line has one. */
  exemplar?: Record<string, string>;
}

const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function parseLabels(body: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const m of body.matchAll(LABEL)) labels[m[1]!] = m[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  return labels;
}

/** Parse every sample line (comments skipped). Enough of the format for these tests, no more. */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*?)\})?\s+(\S+)(?:\s+\S+)?(?:\s+#\s+\{(.*?)\}\s+(\S+).*)?$/.exec(line);
    if (!m) throw new Error(`unparseable exposition line: ${line}`);
    const sample: Sample = { name: m[1]!, labels: parseLabels(m[2] ?? ''), value: Number(m[3]) };
    if (m[4] !== undefined) sample.exemplar = parseLabels(m[4]);
    samples.push(sample);
  }
  return samples;
}

/** Samples of one metric name whose labels include `match`. */
export function find(samples: readonly Sample[], name: string, match: Record<string, string> = {}): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v));
}
