/**
 * Finds the Express or Hono apps a source file creates, on the Babel AST magicast parses (TS and
 * JS, ESM and CommonJS). Shapes recognized, at the top level of the file:
 *
 * - `const app = express()` / `new Hono()` / `new Hono<Env>()` (also `let`, `var`, `export const`,
 *   and already wrapped: `const app = instrument(express())`);
 * - `export default express()` / `export default new Hono()` (an unnamed app);
 * - a factory: `function createApp() { const app = express(); …; return app }` (also exported, or
 *   a `const createApp = () => { … }` arrow function with a block body).
 *
 * Anything else (an app built in a class, several apps, a name from another module) is not
 * guessed at: the caller gets zero or several candidates and says so.
 */
import type * as t from '@babel/types';
import { parseModule } from 'magicast';
import type { FrameworkName } from './detect.js';

export type AppPattern = 'const' | 'default-export' | 'factory';

export interface AppCandidate {
  readonly framework: FrameworkName;
  /** The variable holding the app; undefined for `export default express()`. */
  readonly name: string | undefined;
  readonly pattern: AppPattern;
  /** The factory's name (`pattern: 'factory'`). */
  readonly factory?: string;
  /** 1-based line of the creating expression. */
  readonly line: number;
}

/** A candidate with where it sits in the AST: `body[index]` is the statement creating it. */
export interface LocatedApp extends AppCandidate {
  readonly body: t.Statement[];
  readonly index: number;
}

/** Local names bound to `express` (default import or require) and `Hono` (named import or destructured require). */
interface Bindings {
  readonly express: Set<string>;
  readonly hono: Set<string>;
}

function isRequireOf(node: t.Node | null | undefined, source: string): boolean {
  return (
    node?.type === 'CallExpression' &&
    node.callee.type === 'Identifier' &&
    node.callee.name === 'require' &&
    node.arguments[0]?.type === 'StringLiteral' &&
    node.arguments[0].value === source
  );
}

function bindings(program: t.Program): Bindings {
  const found: Bindings = { express: new Set(), hono: new Set() };
  for (const statement of program.body) {
    if (statement.type === 'ImportDeclaration') {
      for (const s of statement.specifiers) {
        if (statement.source.value === 'express' && s.type !== 'ImportSpecifier') found.express.add(s.local.name);
        if (statement.source.value === 'hono' && s.type === 'ImportSpecifier' && s.imported.type === 'Identifier' && s.imported.name === 'Hono') {
          found.hono.add(s.local.name);
        }
      }
    }
    if (statement.type !== 'VariableDeclaration') continue;
    for (const d of statement.declarations) {
      if (d.id.type === 'Identifier' && isRequireOf(d.init, 'express')) found.express.add(d.id.name);
      if (d.id.type === 'ObjectPattern' && isRequireOf(d.init, 'hono')) {
        for (const p of d.id.properties) {
          if (p.type === 'ObjectProperty' && p.key.type === 'Identifier' && p.key.name === 'Hono' && p.value.type === 'Identifier') found.hono.add(p.value.name);
        }
      }
    }
  }
  return found;
}

/** The framework `expr` creates an app of: `express()`, `new Hono()`, or either wrapped in one call (`instrument(express())`). */
function creates(expr: t.Node | null | undefined, b: Bindings): FrameworkName | undefined {
  if (!expr) return undefined;
  if (expr.type === 'CallExpression' && expr.callee.type === 'Identifier' && b.express.has(expr.callee.name)) return 'express';
  if (expr.type === 'NewExpression' && expr.callee.type === 'Identifier' && b.hono.has(expr.callee.name)) return 'hono';
  if (expr.type === 'CallExpression' && expr.arguments.length >= 1) return creates(expr.arguments[0], b);
  return undefined;
}

const lineOf = (node: t.Node) => node.loc?.start.line ?? 0;

/** `const app = express()` statements directly in `body`. */
function declaredApps(body: t.Statement[], b: Bindings, factory?: string): LocatedApp[] {
  const found: LocatedApp[] = [];
  body.forEach((statement, index) => {
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (declaration?.type !== 'VariableDeclaration') return;
    for (const d of declaration.declarations) {
      const framework = creates(d.init, b);
      if (framework && d.id.type === 'Identifier') {
        found.push({ framework, name: d.id.name, pattern: factory ? 'factory' : 'const', ...(factory ? { factory } : {}), line: lineOf(d), body, index });
      }
    }
  });
  return found;
}

/** A function declared at the top level (plain, exported, or `const f = () => { … }`) and its block body. */
function functionBody(statement: t.Statement): { name: string; body: t.Statement[] } | undefined {
  const inner = statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration' ? statement.declaration : statement;
  if (inner?.type === 'FunctionDeclaration') return { name: inner.id?.name ?? 'default', body: inner.body.body };
  if (inner?.type === 'VariableDeclaration' && inner.declarations.length === 1) {
    const [d] = inner.declarations;
    const init = d?.init;
    if (d?.id.type === 'Identifier' && (init?.type === 'ArrowFunctionExpression' || init?.type === 'FunctionExpression') && init.body.type === 'BlockStatement') {
      return { name: d.id.name, body: init.body.body };
    }
  }
  return undefined;
}

/** Every app candidate in a parsed program, with its place in the AST (for the installer). */
export function locateApps(program: t.Program): LocatedApp[] {
  const b = bindings(program);
  const found = declaredApps(program.body, b);
  program.body.forEach((statement, index) => {
    if (statement.type === 'ExportDefaultDeclaration') {
      const framework = creates(statement.declaration, b);
      if (framework) found.push({ framework, name: undefined, pattern: 'default-export', line: lineOf(statement), body: program.body, index });
    }
    const fn = functionBody(statement);
    if (fn) found.push(...declaredApps(fn.body, b, fn.name));
  });
  return found.sort((x, y) => x.line - y.line);
}

/**
 * The app candidates in a source file's text. A file that does not parse throws Babel's
 * SyntaxError (its message names the line and column).
 */
export function findApps(code: string): AppCandidate[] {
  const program = parseModule(code).$ast as t.Program;
  return locateApps(program).map(({ body: _body, index: _index, ...candidate }) => candidate);
}
