/**
 * What the app's entry file mounts, read from its AST (magicast's Babel parse, the same one
 * `parapet install` edits with; apps found by `project/`'s `locateApps`). Not substring matches:
 * a route is a call `<app>.<method>(path, ...handlers)` on a detected app, in source order, and
 * a handler's kind comes from what its identifiers are bound to (`const api =
 * createOperatorApiHandler(...)`, `toExpressHandler(api)`, `(c) => api(c.req.raw)`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as t from '@babel/types';
import { walk } from '../project/ast.js';
import { parseModule } from 'magicast';
import { detectProject, locateApps, type FrameworkName } from '../project/index.js';

/** Parapet (and integration) handlers the doctor knows, by the factory that makes them. */
export type HandlerKind = 'metrics' | 'operator-api' | 'workbench' | 'alertmanager-webhook' | 'mcp' | 'stripe-webhook' | 'mailer-webhook' | 'json-parser' | 'evidence-store';

const FACTORIES: Record<string, HandlerKind> = {
  metricsHandler: 'metrics',
  createMetricsHandler: 'metrics',
  createOperatorApiHandler: 'operator-api',
  createWorkbenchHandler: 'workbench',
  createAlertmanagerWebhook: 'alertmanager-webhook',
  createParapetMcpHandler: 'mcp',
  createStripeWebhookHandler: 'stripe-webhook',
  resendWebhook: 'mailer-webhook',
  sendgridWebhook: 'mailer-webhook',
  postmarkWebhook: 'mailer-webhook',
  sesWebhook: 'mailer-webhook',
  // Not a handler: its options say where an embedded store keeps its data (pglite-version).
  createEvidenceStore: 'evidence-store',
};

/** Handlers that read the raw request body (signatures, or toExpressHandler's exact-bytes rule). */
export const RAW_BODY_KINDS: ReadonlySet<HandlerKind> = new Set(['stripe-webhook', 'mailer-webhook', 'alertmanager-webhook', 'operator-api', 'mcp']);

/** One call to a factory the doctor knows, with its options object (when written inline). */
export interface FactoryCall {
  readonly kind: HandlerKind;
  readonly name: string;
  readonly line: number;
  readonly options: t.ObjectExpression | undefined;
}

/** `app.get('/metrics', a, b)`: one route or middleware registration on a detected app. */
export interface Mount {
  readonly app: string;
  readonly method: string;
  /** Path strings (one, or several from an array); empty for `app.use(mw)`. */
  readonly paths: readonly string[];
  readonly line: number;
  /** Source position, for ordering. */
  readonly start: number;
  /** The kinds each handler argument resolves to, one set per argument after the path. */
  readonly handlers: readonly ReadonlySet<HandlerKind>[];
  /** The factory calls behind the handlers (for their options). */
  readonly calls: readonly FactoryCall[];
  /** `express.json({ verify })`: keeps the raw bytes, so signed webhooks still verify. */
  readonly keepsRawBody: boolean;
}

export interface Listen {
  readonly line: number;
  /** The host argument when it is a string literal; undefined = every interface. */
  readonly host: string | undefined;
}

export interface EntryAnalysis {
  readonly file: string;
  readonly framework: FrameworkName;
  readonly apps: readonly string[];
  readonly mounts: readonly Mount[];
  /** Every known factory call in the file, mounted or not. */
  readonly calls: readonly FactoryCall[];
  readonly listens: readonly Listen[];
  /** Functions and variables declared in the file, by name (to resolve `authorize`). */
  readonly bindings: ReadonlyMap<string, t.Node>;
}

/**
 * The analysed entry file, or why there is none. `unwired` names an entry file that exists but
 * neither creates a recognizable app nor imports any @parapet package or local module (where the
 * app could be): Parapet is not attached.
 */
export type SourceResult = { readonly entry: EntryAnalysis } | { readonly reason: string; readonly unwired?: string };

const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'all', 'use', 'head', 'options', 'on', 'route', 'mount']);


/** `foo` for `foo(...)`, `bar` for `x.bar(...)`. */
export function calleeName(call: t.CallExpression | t.NewExpression): string | undefined {
  const callee = call.callee;
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression' && callee.property.type === 'Identifier') return callee.property.name;
  return undefined;
}

/** Names declared at any depth: `const x = …`, `function x() {}`. */
function declarations(program: t.Program): Map<string, t.Node> {
  const found = new Map<string, t.Node>();
  walk(program, (node) => {
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init && !found.has(node.id.name)) found.set(node.id.name, node.init);
    if (node.type === 'FunctionDeclaration' && node.id && !found.has(node.id.name)) found.set(node.id.name, node);
  });
  return found;
}

/** Whether a call is a body parser that consumes the body: express.json(), bodyParser.json(), json() from express, urlencoded, text. */
function isBodyParser(call: t.CallExpression): boolean {
  const name = calleeName(call);
  if (name !== 'json' && name !== 'urlencoded' && name !== 'text') return false;
  const callee = call.callee;
  if (callee.type === 'MemberExpression') return callee.object.type === 'Identifier' && /^(express|bodyParser|body_parser|bodyparser)$/.test(callee.object.name);
  return true;
}

function optionsOf(call: t.CallExpression | t.NewExpression): t.ObjectExpression | undefined {
  const first = call.arguments[0];
  return first?.type === 'ObjectExpression' ? first : undefined;
}

/** A property of an object literal by key name. */
export function property(object: t.ObjectExpression | undefined, key: string): t.ObjectProperty | t.ObjectMethod | undefined {
  return object?.properties.find(
    (p): p is t.ObjectProperty | t.ObjectMethod =>
      (p.type === 'ObjectProperty' || p.type === 'ObjectMethod') && ((p.key.type === 'Identifier' && p.key.name === key) || (p.key.type === 'StringLiteral' && p.key.value === key)),
  );
}

/** The kinds and factory calls an expression resolves to, following identifiers up to a few hops. */
function resolveHandler(node: t.Node, bindings: Map<string, t.Node>, seen = new Set<string>()): { kinds: Set<HandlerKind>; calls: FactoryCall[]; keepsRawBody: boolean } {
  const kinds = new Set<HandlerKind>();
  const calls: FactoryCall[] = [];
  let keepsRawBody = false;
  walk(node, (n) => {
    if (n.type === 'CallExpression' || n.type === 'NewExpression') {
      const name = calleeName(n);
      if (name && FACTORIES[name]) {
        kinds.add(FACTORIES[name]);
        calls.push({ kind: FACTORIES[name], name, line: n.loc?.start.line ?? 0, options: optionsOf(n) });
      }
      // `stripeSignals.webhook({ secret })`: @parapet/stripe's webhook factory on parapetStripe()'s result.
      if (name === 'webhook' && n.callee.type === 'MemberExpression' && property(optionsOf(n), 'secret')) {
        kinds.add('stripe-webhook');
        calls.push({ kind: 'stripe-webhook', name: 'webhook', line: n.loc?.start.line ?? 0, options: optionsOf(n) });
      }
      if (n.type === 'CallExpression' && isBodyParser(n)) {
        kinds.add('json-parser');
        if (property(optionsOf(n), 'verify')) keepsRawBody = true;
      }
    }
    if (n.type === 'Identifier' && !seen.has(n.name) && bindings.has(n.name) && seen.size < 8) {
      seen.add(n.name);
      const inner = resolveHandler(bindings.get(n.name)!, bindings, seen);
      for (const k of inner.kinds) kinds.add(k);
      calls.push(...inner.calls);
      keepsRawBody ||= inner.keepsRawBody;
    }
  });
  return { kinds, calls, keepsRawBody };
}

function stringsOf(node: t.Node | undefined): string[] {
  if (node?.type === 'StringLiteral') return [node.value];
  if (node?.type === 'TemplateLiteral' && node.expressions.length === 0) return [node.quasis.map((q) => q.value.cooked ?? '').join('')];
  if (node?.type === 'ArrayExpression') return node.elements.flatMap((e) => (e && e.type !== 'SpreadElement' ? stringsOf(e) : []));
  return [];
}

/** Reads the entry file: its apps, mounts, factory calls and listen calls. */
export function analyzeSource(code: string, file: string): EntryAnalysis | undefined {
  const program = parseModule(code).$ast as t.Program;
  const located = locateApps(program);
  if (located.length === 0) return undefined;
  const apps = new Set(located.map((a) => a.name ?? 'app'));
  const bindings = declarations(program);
  const mounts: Mount[] = [];
  const calls: FactoryCall[] = [];
  const listens: Listen[] = [];
  walk(program, (node) => {
    if (node.type !== 'CallExpression') return;
    const name = calleeName(node);
    if (name && FACTORIES[name]) calls.push({ kind: FACTORIES[name], name, line: node.loc?.start.line ?? 0, options: optionsOf(node) });
    const callee = node.callee;
    if (callee.type !== 'MemberExpression' || callee.object.type !== 'Identifier' || !apps.has(callee.object.name) || callee.property.type !== 'Identifier') {
      // `serve({ fetch: app.fetch, port, hostname })` (@hono/node-server) listens too.
      if (name === 'serve' && property(optionsOf(node), 'fetch')) {
        const hostname = property(optionsOf(node), 'hostname');
        listens.push({ line: node.loc?.start.line ?? 0, host: hostname?.type === 'ObjectProperty' ? stringsOf(hostname.value)[0] : undefined });
      }
      return;
    }
    const method = callee.property.name;
    if (method === 'listen') {
      const host = node.arguments.slice(1).find((a) => a.type === 'StringLiteral');
      listens.push({ line: node.loc?.start.line ?? 0, host: host?.type === 'StringLiteral' ? host.value : undefined });
      return;
    }
    if (!ROUTE_METHODS.has(method)) return;
    const [first, ...rest] = node.arguments;
    const paths = first ? stringsOf(first) : [];
    const handlerArgs = paths.length > 0 || first?.type === 'ArrayExpression' ? rest : node.arguments;
    let keepsRawBody = false;
    const mountCalls: FactoryCall[] = [];
    const handlers = handlerArgs.map((arg) => {
      const resolved = resolveHandler(arg, bindings);
      keepsRawBody ||= resolved.keepsRawBody;
      mountCalls.push(...resolved.calls);
      return resolved.kinds;
    });
    mounts.push({ app: callee.object.name, method, paths, line: node.loc?.start.line ?? 0, start: node.start ?? 0, handlers, calls: mountCalls, keepsRawBody });
  });
  // `parapet({ metrics: {...} })` / `instrument(app, { metrics })` serve /metrics from the adapter.
  walk(program, (node) => {
    if (node.type !== 'CallExpression') return;
    const name = calleeName(node);
    if (name !== 'parapet' && name !== 'instrument') return;
    const options = node.arguments.find((a): a is t.ObjectExpression => a.type === 'ObjectExpression');
    const metrics = property(options, 'metrics');
    if (metrics?.type === 'ObjectProperty' && metrics.value.type === 'ObjectExpression') {
      const path = property(metrics.value, 'path');
      const paths = path?.type === 'ObjectProperty' ? stringsOf(path.value) : ['/metrics'];
      const call: FactoryCall = { kind: 'metrics', name: `${name}({ metrics })`, line: node.loc?.start.line ?? 0, options: metrics.value };
      calls.push(call);
      mounts.push({ app: [...apps][0]!, method: 'get', paths, line: call.line, start: node.start ?? 0, handlers: [new Set(['metrics'])], calls: [call], keepsRawBody: false });
    }
  });
  mounts.sort((a, b) => a.start - b.start);
  return { file, framework: located[0]!.framework, apps: [...apps], mounts, calls, listens, bindings };
}

/** The project's entry file, analysed; or why it cannot be (checks skip with that reason). */
export function analyzeProject(cwd: string, entry?: string): SourceResult {
  const file = entry ?? detectProject(cwd).entry?.path;
  if (!file) return { reason: 'No entry file found (package.json main, scripts.start/dev, or src/index, server, app …); pass --entry <file>.' };
  const path = join(cwd, file);
  if (!existsSync(path)) return { reason: `The entry file ${file} does not exist; pass --entry <file>.` };
  let analysis: EntryAnalysis | undefined;
  const code = readFileSync(path, 'utf8');
  try {
    analysis = analyzeSource(code, file);
  } catch (cause) {
    return { reason: `${file} does not parse (${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}).` };
  }
  if (!analysis) {
    const reason = `${file} creates no Express or Hono app the doctor recognizes (const app = express() / new Hono()); pass --entry <file> for the file that does.`;
    // Unwired only when nothing else could hold the app either: no @parapet import, no relative import.
    return /['"]@parapet\/|['"]\.\.?\//.test(code) ? { reason } : { reason, unwired: file };
  }
  return { entry: analysis };
}

/** Whether a mount path covers `path` (`app.use('/api', mw)` covers `/api/x`; no path covers all). */
export function covers(prefix: readonly string[], path: string): boolean {
  if (prefix.length === 0) return true;
  return prefix.some((p) => p === '/' || p === '*' || path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`));
}

/**
 * The value an expression has in the app's environment, when the source says: a string literal,
 * or `process.env.X ?? 'default'` / `process.env.X || 'default'` (X from `env` when set).
 */
export function staticString(node: t.Node | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (node?.type === 'StringLiteral') return node.value;
  if (node?.type === 'LogicalExpression' && (node.operator === '??' || node.operator === '||')) {
    const left = node.left;
    const fromEnv =
      left.type === 'MemberExpression' && left.object.type === 'MemberExpression' && left.object.object.type === 'Identifier' && left.object.object.name === 'process' && left.property.type === 'Identifier'
        ? env[left.property.name]
        : undefined;
    return fromEnv || staticString(node.right, env);
  }
  return undefined;
}
