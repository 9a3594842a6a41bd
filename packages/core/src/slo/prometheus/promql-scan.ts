/**
 * Finds the series names a PromQL expression reads. A scanner, not a parser: enough for the
 * expressions Parapet generates and for checking dashboards against what exists.
 */
const KEYWORDS = new Set(['bool', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'offset', 'inf', 'nan']);

export function seriesNames(expr: string): string[] {
  const cleaned = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '[]')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\w+/g, ' ');
  const names = new Set<string>();
  for (const m of cleaned.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const after = cleaned.slice(m.index! + m[0].length);
    const before = cleaned.slice(0, m.index!);
    if (/^\s*\(/.test(after) || KEYWORDS.has(m[0].toLowerCase()) || /[0-9.]$/.test(before)) continue;
    names.add(m[0]);
  }
  return [...names];
}
