import type * as t from '@babel/types';

/** Keys that hold no child nodes (positions, comments, parser extras): skipped. */
const NOT_CHILDREN = new Set(['loc', 'leadingComments', 'trailingComments', 'innerComments', 'comments', 'tokens', 'extra']);

/**
 * Visits `node` and every node below it, depth-first in source order (a Babel AST: any object
 * with a string `type`). No scope analysis: the installer and the doctor read shapes, not bindings.
 */
export function walk(node: unknown, visit: (node: t.Node) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit);
    return;
  }
  if (node === null || typeof node !== 'object' || typeof (node as { type?: unknown }).type !== 'string') return;
  visit(node as t.Node);
  for (const [key, value] of Object.entries(node)) {
    if (!NOT_CHILDREN.has(key) && value !== null && typeof value === 'object') walk(value, visit);
  }
}
