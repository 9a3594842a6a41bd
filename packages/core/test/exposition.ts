/** Minimal Prometheus/OpenMetrics text parser for assertions in tests. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  exemplar?: { labels: Record<string, string>; value: number };
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*?)\})?\s+(\S+)(?:\s+#\s+\{(.*?)\}\s+(\S+).*)?$/;

function parseLabels(raw: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  if (!raw) return labels;
  for (const m of raw.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[m[1]!] = m[2]!.replace(/\\(.)/g, '$1');
  return labels;
}

export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) throw new Error(`unparseable exposition line: ${line}`);
    const sample: Sample = { name: m[1]!, labels: parseLabels(m[3]), value: Number(m[4]) };
    if (m[5] !== undefined) sample.exemplar = { labels: parseLabels(m[5]), value: Number(m[6]) };
    samples.push(sample);
  }
  return samples;
}

/** Samples of one metric name whose labels include `match`. */
export function find(samples: Sample[], name: string, match: Record<string, string> = {}): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v));
}

/** Distinct series (name + labels, without `le`) of names starting with prefix. */
export function seriesOf(samples: Sample[], prefix: string): Set<string> {
  const out = new Set<string>();
  for (const s of samples) {
    if (!s.name.startsWith(prefix)) continue;
    const { le: _le, ...labels } = s.labels;
    out.add(`${s.name}${JSON.stringify(Object.entries(labels).sort())}`);
  }
  return out;
}
