/**
 * Checks on the app's entry file (see source.ts): /metrics is mounted and token-protected, a token
 * exists for production, operator routes and the workbench sit behind authorization, signed
 * webhooks are mounted before a JSON body parser, and a public MCP endpoint has an Origin allow-list.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as t from '@babel/types';
import { MAKE_TOKEN, MIN_TOKEN_LENGTH } from '../install/features.js';
import { importLines, pieces } from '../install/snippet.js';
import { plural } from '../plural.js';
import type { FrameworkName } from '../project/index.js';
import { walk } from '../project/ast.js';
import { covers, property, RAW_BODY_KINDS, type EntryAnalysis, type FactoryCall } from './source.js';
import { error, ok, skip, warn, type Check, type DoctorContext, type Outcome } from './types.js';

/** Runs `inspect` on the analysed entry file, or skips with the reason it could not be analysed. */
function withEntry(context: DoctorContext, inspect: (entry: EntryAnalysis) => Outcome): Outcome {
  const source = context.source();
  return 'reason' in source ? skip(source.reason) : inspect(source.entry);
}

const at = (entry: EntryAnalysis, line: number) => `${entry.file}:${line}`;
const metricsMounts = (entry: EntryAnalysis) => entry.mounts.filter((m) => m.handlers.some((h) => h.has('metrics')));

/** What the installer adds for /metrics (its own snippet, so the two never disagree): the route and its import. */
function metricsFix(framework: FrameworkName): string {
  const piece = pieces({ framework, language: 'ts', app: 'app', features: {} }).find((p) => p.id === 'metrics')!;
  const route = piece.app.filter((line) => !line.startsWith('//')).join(' ').replace(/;$/, '');
  return `${route} (${importLines(piece.imports, 'esm').join(' ').replace(/;$/, '')})`;
}

const metricsRoute: Check = {
  id: 'metrics-route',
  title: 'The app serves /metrics',
  group: 'source',
  async run(context) {
    const source = context.source();
    if ('unwired' in source && source.unwired) {
      // An app the doctor cannot read is usually one the installer could not edit either.
      return error(
        `${source.unwired} imports no @parapet package: Parapet is not attached to this app, so nothing is measured or served at /metrics.`,
        `Paste the snippet npx @parapet/cli install printed (running it again prints it again) where the app is created, or pass --entry <file> for the file that creates the app.`,
      );
    }
    return withEntry(context, (entry) => {
      const mounts = metricsMounts(entry);
      if (mounts.length === 0) {
        return error(
          `${entry.file} mounts no Parapet metrics endpoint: Prometheus has nothing to scrape, so no SLO can be evaluated.`,
          `Add ${metricsFix(entry.framework)}, or run npx @parapet/cli install.`,
        );
      }
      const paths = mounts.flatMap((m) => m.paths);
      return ok(`${entry.file} serves metrics at ${paths.join(', ') || '(a middleware mount)'} (${mounts.map((m) => at(entry, m.line)).join(', ')}).`);
    });
  },
};

/** A literal `true`, `'x'`, or an array of string literals: a value written into the source. */
function literalStrings(node: t.Node | undefined): string[] {
  if (node?.type === 'StringLiteral') return [node.value];
  if (node?.type === 'ArrayExpression') return node.elements.flatMap((e) => (e?.type === 'StringLiteral' ? [e.value] : []));
  return [];
}
const valueOf = (p: t.ObjectProperty | t.ObjectMethod | undefined) => (p?.type === 'ObjectProperty' ? (p.value as t.Node) : undefined);

const metricsToken: Check = {
  id: 'metrics-token',
  title: '/metrics requires a token',
  group: 'source',
  async run(context) {
    return withEntry(context, (entry) => {
      const calls = entry.calls.filter((c) => c.kind === 'metrics');
      if (calls.length === 0) return skip('No metrics endpoint to inspect (see metrics-route).');
      const open = calls.filter((c) => valueOf(property(c.options, 'public'))?.type === 'BooleanLiteral' && (valueOf(property(c.options, 'public')) as t.BooleanLiteral).value);
      if (open.length > 0) {
        return error(
          `/metrics is served without a token (public: true at ${open.map((c) => at(entry, c.line)).join(', ')}): anyone who can reach the app reads its traffic, routes and error rates.`,
          'Remove `public: true`, set PARAPET_METRICS_TOKENS in the app\'s environment, and give Prometheus the same token (authorization: { credentials_file: … } in its scrape config).',
        );
      }
      const hardCoded = calls.filter((c) => literalStrings(valueOf(property(c.options, 'tokens'))).length > 0);
      if (hardCoded.length > 0) {
        return warn(
          `The /metrics token is written in the source (${hardCoded.map((c) => at(entry, c.line)).join(', ')}): it ends up in git and cannot be rotated without a deploy.`,
          'Drop the `tokens` option (metricsHandler() then reads PARAPET_METRICS_TOKENS, comma-separated for rotation) or read it from the environment: tokens: process.env.METRICS_TOKEN.',
        );
      }
      return ok('/metrics requires a bearer token (no `public: true`); without one configured it answers only when NODE_ENV is development or test.');
    });
  },
};

/** The environment variables a token option reads: `process.env.X` inside it, else the default. */
function tokenVariables(options: t.ObjectExpression | undefined, fallback: string): string[] {
  const tokens = valueOf(property(options, 'tokens'));
  if (!tokens) return [fallback];
  const names: string[] = [];
  walk(tokens, (n) => {
    if (n.type === 'MemberExpression' && n.object.type === 'MemberExpression' && n.object.object.type === 'Identifier' && n.object.object.name === 'process' && n.object.property.type === 'Identifier' && n.object.property.name === 'env' && n.property.type === 'Identifier') names.push(n.property.name);
  });
  return names;
}

/** `NAME=value` lines of the project's .env.production and .env files (dotenv syntax, no expansion). */
function envFiles(cwd: string): Map<string, { file: string; value: string }> {
  const found = new Map<string, { file: string; value: string }>();
  for (const file of ['.env.production.local', '.env.production', '.env.local', '.env']) {
    if (!existsSync(join(cwd, file))) continue;
    for (const line of readFileSync(join(cwd, file), 'utf8').split('\n')) {
      const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
      if (m && !found.has(m[1]!)) found.set(m[1]!, { file, value: m[2]!.replace(/^(['"])(.*)\1$/, '$2') });
    }
  }
  return found;
}


const productionToken: Check = {
  id: 'production-token',
  title: 'Tokens are configured for production',
  group: 'source',
  async run(context) {
    return withEntry(context, (entry) => {
      const needs: { what: string; variable: string }[] = [];
      const problems: string[] = [];
      for (const c of entry.calls) {
        if (c.kind === 'metrics' && valueOf(property(c.options, 'public'))?.type !== 'BooleanLiteral') {
          for (const variable of tokenVariables(c.options, 'PARAPET_METRICS_TOKENS')) needs.push({ what: `/metrics (${at(entry, c.line)})`, variable });
        }
        if (c.kind === 'alertmanager-webhook') {
          const unauthenticated = valueOf(property(c.options, 'allowUnauthenticated'));
          if (unauthenticated?.type === 'BooleanLiteral' && unauthenticated.value) problems.push(`the Alertmanager webhook (${at(entry, c.line)}) accepts unauthenticated posts (allowUnauthenticated: true): anyone can open and resolve incidents`);
          for (const variable of tokenVariables(c.options, '')) if (variable) needs.push({ what: `the Alertmanager webhook (${at(entry, c.line)})`, variable });
        }
      }
      const files = envFiles(context.cwd);
      const missing: string[] = [];
      for (const { what, variable } of needs) {
        const value = context.env[variable] ?? files.get(variable)?.value;
        if (value === undefined || value.trim() === '') missing.push(`${variable}, read by ${what}, is not set here or in .env.production/.env`);
        else if (value.split(',').some((token) => token.trim().length < MIN_TOKEN_LENGTH)) problems.push(`${variable} (${what}) holds a token shorter than ${MIN_TOKEN_LENGTH} characters: guessable`);
      }
      if (problems.length > 0) {
        return error(`${plural(problems.length, 'token problem')}: Parapet's endpoints are open or weakly protected.`, `Use long random tokens (e.g. ${MAKE_TOKEN}), from the environment, and never allowUnauthenticated in production.`, problems);
      }
      if (missing.length > 0) {
        return warn(
          `No production value found for ${plural(missing.length, 'token variable')}: in production the endpoint refuses every request (403 on /metrics), so Prometheus or Alertmanager cannot reach it.`,
          'Set each variable in the production environment (your platform\'s secrets), and give Prometheus and Alertmanager the same token. Run the doctor where those variables are set to verify.',
          missing,
        );
      }
      if (needs.length === 0) return skip('No token-protected Parapet endpoint found in the entry file.');
      return ok(`${plural(new Set(needs.map((n) => n.variable)).size, 'token variable')} set (${[...new Set(needs.map((n) => n.variable))].join(', ')}).`);
    });
  },
};

/** What an `authorize` function does when written in the file: allow everyone, deny everyone, or decide. */
function authorizeVerdict(node: t.Node | undefined, entry: EntryAnalysis): 'allows-all' | 'denies-all' | 'decides' | 'unknown' {
  if (node?.type === 'Identifier') return entry.bindings.has(node.name) ? authorizeVerdict(entry.bindings.get(node.name), entry) : 'unknown';
  if (node?.type !== 'ArrowFunctionExpression' && node?.type !== 'FunctionExpression' && node?.type !== 'FunctionDeclaration') return 'unknown';
  const body = node.body;
  const returns: (t.Expression | null | undefined)[] = [];
  if (body.type !== 'BlockStatement') returns.push(body);
  else {
    // Only its own returns: a nested function's returns say nothing about authorize.
    if (body.body.length === 1 && body.body[0]!.type === 'ReturnStatement') returns.push(body.body[0]!.argument);
    else return 'decides';
  }
  const [value] = returns;
  const unwrapped = value?.type === 'TSAsExpression' || value?.type === 'TSSatisfiesExpression' ? value.expression : value;
  if (unwrapped?.type === 'ObjectExpression') return 'allows-all';
  if (unwrapped?.type === 'NullLiteral' || unwrapped === null || unwrapped === undefined) return 'denies-all';
  return 'decides';
}

const operatorAuth: Check = {
  id: 'operator-auth',
  title: 'Operator routes and the workbench sit behind authorization',
  group: 'source',
  async run(context) {
    return withEntry(context, (entry) => {
      const apis = entry.calls.filter((c) => c.kind === 'operator-api');
      const workbenches = entry.mounts.filter((m) => m.handlers.some((h) => h.has('workbench')));
      if (apis.length === 0 && workbenches.length === 0) return skip('No operator API or workbench is mounted in the entry file.');
      const errors: string[] = [];
      const warnings: string[] = [];
      for (const api of apis) {
        const authorize = property(api.options, 'authorize');
        const verdict = authorize?.type === 'ObjectMethod' ? authorizeVerdict({ ...authorize, type: 'FunctionExpression' } as unknown as t.FunctionExpression, entry) : authorizeVerdict(valueOf(authorize), entry);
        if (!authorize && api.options) errors.push(`${at(entry, api.line)}: createOperatorApiHandler without authorize (it refuses to start)`);
        else if (verdict === 'allows-all') errors.push(`${at(entry, api.line)}: authorize returns an actor for every request: anyone can acknowledge, resolve and annotate incidents`);
        else if (verdict === 'denies-all') warnings.push(`${at(entry, api.line)}: authorize denies every request (the installer's stub): the API and the workbench answer 401 until you fill it in`);
      }
      if (errors.length > 0) return error('The operator API does not check who is calling.', 'Make authorize return an actor only for a signed-in operator (your session or SSO) and null otherwise; see packages/evidence-pg/README.md.', [...errors, ...warnings]);
      if (warnings.length > 0) return warn('Operator access is not finished.', 'Fill in authorize with your own auth: return { id, name, role } for a signed-in operator, null for everyone else.', warnings);
      // The workbench page itself holds no data: everything it shows comes through the API's authorize.
      const pages = workbenches.length > 0 ? ` The workbench (${workbenches.map((w) => at(entry, w.line)).join(', ')}) reads everything through it.` : '';
      return ok(apis.length > 0 ? `The operator API decides per request in authorize.${pages}` : `The workbench is mounted; mount the operator API it reads from (createOperatorApiHandler with authorize).`);
    });
  },
};

const webhookRawBody: Check = {
  id: 'webhook-raw-body',
  title: 'Signed webhooks are mounted before a JSON body parser',
  group: 'source',
  async run(context) {
    return withEntry(context, (entry) => {
      if (entry.framework !== 'express') return ok('Hono hands handlers the raw request (c.req.raw); there is no body-parser ordering to get wrong.');
      const raw = entry.mounts.filter((m) => m.handlers.some((h) => [...h].some((k) => RAW_BODY_KINDS.has(k))));
      if (raw.length === 0) return skip('No webhook, operator API or MCP handler is mounted in the entry file.');
      const problems: string[] = [];
      for (const mount of raw) {
        const kinds = [...new Set(mount.handlers.flatMap((h) => [...h].filter((k) => RAW_BODY_KINDS.has(k))))].join(', ');
        // A parser in the same route, before the handler, or an earlier app.use() whose path covers this route.
        const inline = mount.handlers.findIndex((h) => h.has('json-parser'));
        const parser = entry.mounts.find((m) => m.start < mount.start && m.method === 'use' && !m.keepsRawBody && m.handlers.some((h) => h.has('json-parser')) && mount.paths.some((p) => covers(m.paths, p)));
        if (inline >= 0 && !mount.keepsRawBody) problems.push(`${at(entry, mount.line)}: ${kinds} at ${mount.paths.join(', ')} has a JSON body parser in its own route`);
        else if (parser) problems.push(`${at(entry, mount.line)}: ${kinds} at ${mount.paths.join(', ')} is mounted after the body parser at ${at(entry, parser.line)}`);
      }
      if (problems.length === 0) return ok(`${plural(raw.length, 'raw-body route')} mounted before any JSON body parser.`);
      return error(
        `${plural(problems.length, 'handler')} would get a body the JSON parser already consumed: signatures cannot be verified (Stripe, mailer webhooks fail with 400) and Parapet's handlers answer 500 "Mount this handler before express.json()".`,
        "Move these routes above app.use(express.json()), or keep the raw bytes: app.use(express.json({ verify: (req, _res, buf) => { req.rawBody = buf } })).",
        problems,
      );
    });
  },
};

/** Methods that answer Alertmanager's POST on a path. */
const POST_METHODS = new Set(['post', 'all', 'use', 'on', 'route', 'mount']);

const webhookRoute: Check = {
  id: 'webhook-route',
  title: "The config's Alertmanager webhook URL is a route the app serves",
  group: 'source',
  async run(context) {
    let webhookUrl: string | undefined;
    try {
      webhookUrl = (await context.config()).alertmanager?.webhookUrl;
    } catch {
      return skip(`${context.options.config} did not load (see config-load).`);
    }
    if (!webhookUrl) return skip('The config has no alertmanager.webhookUrl (parapet gen alertmanager is not used).');
    let path: string;
    try {
      path = new URL(webhookUrl).pathname;
    } catch {
      return skip(`alertmanager.webhookUrl ${JSON.stringify(webhookUrl)} is not a URL (parapet gen alertmanager says so).`);
    }
    return withEntry(context, (entry) => {
      const webhooks = entry.mounts.filter((m) => m.handlers.some((h) => h.has('alertmanager-webhook')));
      const serving = webhooks.filter((m) => POST_METHODS.has(m.method) && (m.method === 'post' ? m.paths.includes(path) : covers(m.paths, path)));
      if (serving.length > 0) return ok(`${entry.file} serves Alertmanager's webhook at ${path} (${serving.map((m) => at(entry, m.line)).join(', ')}), where alertmanager.webhookUrl points.`);
      const elsewhere = webhooks.map((m) => `${at(entry, m.line)}: the webhook is mounted at ${m.paths.join(', ') || '(no path)'}`);
      return warn(
        `alertmanager.webhookUrl (${webhookUrl}) posts every alert to ${path}, but ${entry.file} mounts no Alertmanager webhook (createAlertmanagerWebhook from @parapet/evidence-pg) there: each notification fails (404) and no incident is recorded.`,
        `Mount it: npx @parapet/cli install --webhook adds POST /parapet/alertmanager; or set webhookUrl to the path where you mounted createAlertmanagerWebhook. The host must be the app as Alertmanager reaches it (localhost only when both run on one host).`,
        elsewhere.length > 0 ? elsewhere : undefined,
      );
    });
  },
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

const mcpOrigin: Check = {
  id: 'mcp-origin',
  title: 'A reachable MCP endpoint has an Origin allow-list',
  group: 'source',
  async run(context) {
    return withEntry(context, (entry) => {
      const mcps = entry.calls.filter((c): c is FactoryCall => c.kind === 'mcp');
      if (mcps.length === 0) return skip('No MCP endpoint (createParapetMcpHandler) in the entry file.');
      const wildcard = mcps.filter((c) => literalStrings(valueOf(property(c.options, 'allowedOrigins'))).includes('*'));
      if (wildcard.length > 0) {
        return error(`allowedOrigins contains "*" (${wildcard.map((c) => at(entry, c.line)).join(', ')}): any web page a signed-in operator visits can call the MCP tools.`, 'List the exact hostnames that may call it in allowedOrigins, e.g. allowedOrigins: [\'ops.example.com\'].');
      }
      const public_ = entry.listens.filter((l) => l.host === undefined || !LOOPBACK.has(l.host));
      if (public_.length === 0) return ok('The app listens on localhost only, so the MCP endpoint is not reachable from other machines.');
      const open = mcps.filter((c) => !property(c.options, 'allowedOrigins') || !property(c.options, 'allowedHosts'));
      if (open.length === 0) return ok('The MCP endpoint lists allowedOrigins and allowedHosts.');
      return warn(
        `The app listens beyond localhost (${public_.map((l) => `${at(entry, l.line)} ${l.host ?? 'all interfaces'}`).join(', ')}) and its MCP endpoint (${open.map((c) => at(entry, c.line)).join(', ')}) relies on defaults: no allowedHosts means no DNS-rebinding protection, and browsers are checked only against localhost origins.`,
        "Pass createParapetMcpHandler({ …, allowedHosts: ['app.example.com'], allowedOrigins: ['app.example.com'] }) with your public hostname, or bind the app to 127.0.0.1 when only local assistants use it.",
      );
    });
  },
};

export const sourceChecks: readonly Check[] = [metricsRoute, metricsToken, productionToken, operatorAuth, webhookRawBody, webhookRoute, mcpOrigin];
