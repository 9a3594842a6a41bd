import * as z from 'zod';
import { ParapetError } from '../errors/parapet-error.js';

/**
 * Validates a public options object against a zod schema (use `z.strictObject` so unknown keys
 * are errors). On failure throws one `ParapetError('INVALID_OPTIONS')` whose message names every
 * offending option by its path, what was accepted and what was given, e.g.
 * `attach(): unknown option "registy" (did you mean "registry"?); accepted options: ...`.
 *
 * @param where the call being validated, as the user wrote it: `attach()`, `createMetricsHandler()`.
 */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, where: string): z.output<S> {
  const result = schema.safeParse(input === undefined ? {} : input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => describeIssue(schema, issue, input));
  throw new ParapetError('INVALID_OPTIONS', `${where}: ${problems.join('; ')}.`, {
    details: { where, problems: result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), code: i.code })) },
  });
}

function describeIssue(root: z.ZodType, issue: z.core.$ZodIssue, input: unknown): string {
  const path = issue.path.map(String);
  const name = path.length > 0 ? `option "${path.join('.')}"` : 'the options';
  switch (issue.code) {
    case 'unrecognized_keys': {
      const accepted = keysAt(root, path);
      return issue.keys
        .map((key) => {
          const full = [...path, key].join('.');
          const hint = accepted ? closest(key, accepted) : undefined;
          return `unknown option "${full}"${hint ? ` (did you mean "${[...path, hint].join('.')}"?)` : ''}` +
            (accepted ? `; accepted options${path.length ? ` of "${path.join('.')}"` : ''}: ${accepted.join(', ')}` : '');
        })
        .join('; ');
    }
    case 'invalid_type': {
      const given = valueAt(input, issue.path);
      if (given === undefined) return `${name} is required (${issue.expected})`;
      return `${name} must be ${article(issue.expected)}, got ${describeValue(given)}`;
    }
    case 'invalid_value':
      return `${name} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(valueAt(input, issue.path))}`;
    case 'too_small':
    case 'too_big':
    case 'custom':
    default:
      return `${name}: ${issue.message}`;
  }
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current: unknown = schema;
  for (let i = 0; i < 10; i++) {
    const def = (current as { def?: { innerType?: unknown; in?: unknown; type?: string } }).def;
    if (def?.innerType) current = def.innerType;
    else if (def?.type === 'pipe' && def.in) current = def.in;
    else break;
  }
  return current as z.ZodType;
}

/** The accepted keys of the object schema at `path`, when it can be found. */
function keysAt(root: z.ZodType, path: readonly string[]): string[] | undefined {
  let current = unwrap(root);
  for (const segment of path) {
    if (current instanceof z.ZodObject) current = unwrap(current.shape[segment] as z.ZodType);
    else if (current instanceof z.ZodArray) current = unwrap(current.element as z.ZodType);
    else if (current instanceof z.ZodRecord) current = unwrap(current.valueType as z.ZodType);
    else return undefined;
    if (!current) return undefined;
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : undefined;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** A short, safe description of a value for an error message (never its whole content). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array`;
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof value} ${String(value)}`;
    case 'function':
      return 'a function';
    case 'undefined':
      return 'undefined';
    default:
      return `an object`;
  }
}

/** The accepted key closest to `key` by edit distance, when it is a plausible typo. */
function closest(key: string, accepted: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of accepted) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}
