/**
 * The entry-file edit, with magicast (recast + Babel: the file keeps its formatting, quotes and
 * semicolons or lack of them). Rules from the research behind it (ecosystem-next §J):
 *
 * - code to insert is parsed as ONE snippet and its statements spliced in together (splicing
 *   separately parsed statements into a file without semicolons printed `attach(app)app.get(…)`);
 * - the output is parsed again before anyone writes it, and must still hold exactly one app;
 * - exactly one candidate app is edited; zero or several mean "not recognized", and the caller
 *   prints the snippet to paste instead of guessing.
 */
import type * as t from '@babel/types';
import { generateCode, parseModule } from 'magicast';
import { ParapetError } from '@parapet/core/integration';
import { walk } from '../project/ast.js';
import { locateApps, type AppCandidate, type FrameworkName, type Language, type LocatedApp, type ModuleSystem } from '../project/index.js';
import type { Features } from './features.js';
import { importLines, manualSnippet, pieces, type FileFacts, type ImportSpec, type Piece } from './snippet.js';

export interface EditOptions {
  /** Used when the file itself does not say (neither `import` nor `require`). */
  readonly moduleSystem: ModuleSystem;
  readonly language: Language;
  readonly features: Partial<Features>;
}

export type EditResult =
  | { readonly status: 'edited'; readonly code: string; readonly app: AppCandidate; readonly added: readonly Piece[] }
  | { readonly status: 'unchanged'; readonly app: AppCandidate }
  | { readonly status: 'unrecognized'; readonly candidates: readonly AppCandidate[]; readonly snippet: string; readonly reason: string };


function facts(program: t.Program, app: LocatedApp): FileFacts {
  const calls = new Set<string>();
  const strings = new Set<string>();
  const declared = new Set<string>();
  walk(program, (node) => {
    if ((node.type === 'CallExpression' || node.type === 'NewExpression') && node.callee.type === 'Identifier') calls.add(node.callee.name);
    if (node.type === 'StringLiteral') strings.add(node.value);
  });
  for (const statement of program.body) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (declaration?.type === 'VariableDeclaration') for (const d of declaration.declarations) if (d.id.type === 'Identifier') declared.add(d.id.name);
  }
  const statement = app.body[app.index];
  const creation = statement?.type === 'VariableDeclaration' ? statement.declarations.find((d) => d.id.type === 'Identifier' && d.id.name === app.name)?.init : undefined;
  const wrapped = creation?.type === 'CallExpression' && creation.arguments.length > 0 && (creation.arguments[0]?.type === 'CallExpression' || creation.arguments[0]?.type === 'NewExpression');
  return { calls, strings, declared, wrapped: wrapped === true };
}

/** ESM when the file imports or exports; CommonJS when it only requires; else the project's system. */
function syntaxOf(program: t.Program, fallback: ModuleSystem): ModuleSystem {
  if (program.body.some((s) => s.type === 'ImportDeclaration' || s.type.startsWith('Export'))) return 'esm';
  let requires = false;
  walk(program, (node) => {
    if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'require') requires = true;
  });
  return requires ? 'cjs' : fallback;
}

/** Statements of `code` parsed as one module (the splicing rule above). */
function statementsOf(code: string): t.Statement[] {
  return (parseModule(code).$ast as t.Program).body;
}

/** Import specs not yet imported (or required) from that module under that name. */
function missingImports(program: t.Program, specs: readonly ImportSpec[]): ImportSpec[] {
  const have = new Set<string>();
  for (const statement of program.body) {
    if (statement.type === 'ImportDeclaration') {
      for (const s of statement.specifiers) if (s.type === 'ImportSpecifier' && s.imported.type === 'Identifier') have.add(`${statement.source.value}\0${s.imported.name}`);
    }
    if (statement.type === 'VariableDeclaration') {
      for (const d of statement.declarations) {
        const init = d.init;
        if (d.id.type !== 'ObjectPattern' || init?.type !== 'CallExpression' || init.arguments[0]?.type !== 'StringLiteral') continue;
        if (init.callee.type !== 'Identifier' || init.callee.name !== 'require') continue;
        const from = init.arguments[0].value;
        for (const p of d.id.properties) if (p.type === 'ObjectProperty' && p.key.type === 'Identifier') have.add(`${from}\0${p.key.name}`);
      }
    }
  }
  const seen = new Set<string>();
  return specs.filter((s) => {
    const key = `${s.from}\0${s.name}`;
    if (have.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Index after the last top-level import or `require` declaration (0 when there is none). */
function afterImports(program: t.Program): number {
  let last = -1;
  program.body.forEach((s, i) => {
    if (s.type === 'ImportDeclaration') last = i;
    if (s.type === 'VariableDeclaration' && s.declarations.some((d) => d.init?.type === 'CallExpression' && d.init.callee.type === 'Identifier' && d.init.callee.name === 'require')) last = i;
  });
  return last + 1;
}

const strip = ({ body: _b, index: _i, ...candidate }: LocatedApp): AppCandidate => candidate;

function unrecognized(candidates: readonly LocatedApp[], framework: FrameworkName, options: EditOptions, syntax: ModuleSystem): EditResult {
  const apps = candidates.map(strip);
  const reason =
    apps.length === 0
      ? `no ${framework === 'hono' ? '`const app = new Hono()`' : '`const app = express()`'} at the top level of the file (or in a factory function, or as its default export)`
      : `${apps.length} candidate apps (${apps.map((a) => `${a.name ?? 'export default'} on line ${a.line}`).join(', ')}); the installer does not guess which one serves your traffic`;
  const name = apps.length === 1 ? (apps[0]!.name ?? 'app') : 'app';
  return { status: 'unrecognized', candidates: apps, reason, snippet: manualSnippet({ framework, language: options.language, app: name, features: options.features, syntax }) };
}

/**
 * Edits `code` (the entry file) to set Parapet up on its one app. Pure: returns the new text,
 * `unchanged` when everything is already there, or `unrecognized` with the snippet to paste.
 * Throws a ParapetError when the file does not parse or the edit would not parse again.
 */
export function editEntry(code: string, file: string, framework: FrameworkName, options: EditOptions): EditResult {
  let mod;
  try {
    mod = parseModule(code);
  } catch (error) {
    throw new ParapetError('CONFIG_LOAD', `${file} does not parse: ${(error as Error).message}\nHow to fix: fix the syntax error (the app should start as it is), then run parapet install again.`, { cause: error });
  }
  const program = mod.$ast as t.Program;
  const syntax = syntaxOf(program, options.moduleSystem);
  const candidates = locateApps(program).filter((a) => a.framework === framework);
  if (candidates.length !== 1) return unrecognized(candidates, framework, options, syntax);
  let app = candidates[0]!;

  // `export default express()`: name the app so lines can follow it, then export that name.
  if (app.pattern === 'default-export') {
    const name = ['app', 'parapetApp', 'parapetHostApp'].find((n) => !facts(program, app).declared.has(n))!;
    const statement = program.body[app.index] as t.ExportDefaultDeclaration;
    const expression = code.slice(statement.declaration.start ?? 0, statement.declaration.end ?? 0);
    program.body.splice(app.index, 1, ...statementsOf(`const ${name} = ${expression};\nexport default ${name};\n`));
    app = { ...app, name, pattern: 'const' };
  }

  const known = facts(program, app);
  const wanted = pieces({ framework, language: options.language, app: app.name!, features: options.features });
  const added = wanted.filter((p) => !p.present(known));
  if (added.length === 0) return { status: 'unchanged', app: strip(app) };

  const moduleLines = added.flatMap((p) => p.module);
  const appLines = added.flatMap((p) => p.app);
  if (app.pattern === 'factory') {
    // The factory may run more than once (tests): attach() and the store stay at the top level,
    // just before the statement that declares the factory.
    const creation = app.body[app.index]!;
    const factoryAt = program.body.findIndex((s) => (s.start ?? 0) <= (creation.start ?? -1) && (s.end ?? 0) >= (creation.end ?? 0));
    if (appLines.length > 0) app.body.splice(app.index + 1, 0, ...statementsOf(appLines.join('\n')));
    if (moduleLines.length > 0) program.body.splice(factoryAt, 0, ...statementsOf(moduleLines.join('\n')));
  } else {
    program.body.splice(app.index + 1, 0, ...statementsOf([...moduleLines, ...appLines].join('\n')));
  }

  const imports = missingImports(program, added.flatMap((p) => p.imports));
  if (imports.length > 0) {
    if (syntax === 'esm') for (const spec of imports) mod.imports.$append({ from: spec.from, imported: spec.name });
    else program.body.splice(afterImports(program), 0, ...statementsOf(importLines(imports, 'cjs').join('\n')));
  }

  const output = tidy(generateCode(mod).code, code);
  verify(output, file, framework, app.name!, wanted);
  return { status: 'edited', code: output, app: strip(app), added };
}

/**
 * Undoes two printer habits so the diff shows only what was added: recast prints a directive
 * (`'use strict';`) with a second semicolon once the body changed, and drops the final newline.
 */
function tidy(output: string, original: string): string {
  let out = output.replace(/^(\s*(['"])use strict\2);;/, '$1;');
  if (original.endsWith('\n') && !out.endsWith('\n')) out += '\n';
  return out;
}

/** The edit must parse again, still hold exactly one app (the same one), and have every piece. */
function verify(output: string, file: string, framework: FrameworkName, name: string, wanted: readonly Piece[]): void {
  const fail = (why: string, cause?: unknown) =>
    new ParapetError('INTERNAL', `The edit of ${file} ${why}; nothing was written to it.\nThis is a bug in parapet install; please report it with the file.`, { cause });
  let again;
  try {
    again = parseModule(output).$ast as t.Program;
  } catch (error) {
    throw fail(`would not parse (${(error as Error).message})`, error);
  }
  const apps = locateApps(again).filter((a) => a.framework === framework);
  if (apps.length !== 1 || apps[0]!.name !== name) throw fail(`came out with ${apps.length} apps instead of one`);
  const missing = wanted.filter((p) => !p.present(facts(again, apps[0]!)));
  if (missing.length > 0) throw fail(`came out without ${missing.map((p) => p.id).join(', ')}`);
}
