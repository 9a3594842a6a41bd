/**
 * The code `parapet install` adds to the entry file, as pieces. Each piece names the imports it
 * needs, its module-level lines (run once: attach, the evidence store, handlers) and its lines on
 * the app (right after the app is created), and how to tell it is already there, so a second run
 * adds nothing and a later run with a new flag adds only that flag's piece.
 *
 * The code is written against the public APIs of @parapet/core, /express, /hono, /evidence-pg and
 * /ui-react; the install tests type-check it with `tsc` and run it.
 */
import type { FrameworkName, Language } from '../project/index.js';
import { ADAPTER, DEFAULT_DATA_DIR, ENV, normalizeFeatures, type Features } from './features.js';

export interface ImportSpec {
  readonly from: string;
  readonly name: string;
}

/** What is already in the file, for the `present` checks (see `facts` in codemod.ts). */
export interface FileFacts {
  /** Names called anywhere in the file (`attach`, `instrument`, `createWorkbenchHandler`, …). */
  readonly calls: ReadonlySet<string>;
  /** String literals anywhere in the file (route paths). */
  readonly strings: ReadonlySet<string>;
  /** Names declared at the top level. */
  readonly declared: ReadonlySet<string>;
  /** The app is created wrapped, `instrument(express())`. */
  readonly wrapped: boolean;
}

export interface Piece {
  readonly id: 'attach' | 'instrument' | 'metrics' | 'store' | 'webhook' | 'operator-api' | 'workbench';
  /** One line for the summary. */
  readonly summary: string;
  readonly imports: readonly ImportSpec[];
  readonly module: readonly string[];
  readonly app: readonly string[];
  readonly present: (facts: FileFacts) => boolean;
}

export interface SnippetOptions {
  readonly framework: FrameworkName;
  readonly language: Language;
  /** The app's variable name. */
  readonly app: string;
  readonly features: Partial<Features>;
}

const tokensFrom = (env: string) => `(process.env.${env} ?? '').split(',').filter(Boolean)`;

/** Every piece the options ask for, in the order they go into the file. */
export function pieces({ framework, language, app, features }: SnippetOptions): Piece[] {
  const f = normalizeFeatures(features);
  const ts = language === 'ts';
  const adapter = ADAPTER[framework];
  const express = framework === 'express';
  // `globalThis.Request`: the file may import its framework's own `Request` type under that name.
  const request = ts ? ': globalThis.Request' : '';
  const list: Piece[] = [
    {
      id: 'attach',
      summary: 'attach(): records into prom-client\'s global registry',
      imports: [{ from: '@parapet/core', name: 'attach' }],
      module: ['// Parapet (added by `parapet install`, yours to edit): record HTTP metrics into prom-client.', 'attach();'],
      app: [],
      present: (x) => x.calls.has('attach'),
    },
    {
      id: 'instrument',
      summary: `instrument(${app}): requests counted by route template`,
      imports: [{ from: adapter, name: 'instrument' }],
      module: [],
      app: [`instrument(${app});`],
      present: (x) => x.wrapped || x.calls.has('instrument') || x.calls.has('parapet'),
    },
    {
      id: 'metrics',
      summary: `GET /metrics: bearer tokens from ${ENV.metricsTokens}`,
      imports: [{ from: adapter, name: 'metricsHandler' }],
      module: [],
      app: [`// Bearer tokens from ${ENV.metricsTokens} (comma-separated); without one it serves only in NODE_ENV=development or test.`, `${app}.get('/metrics', metricsHandler());`],
      present: (x) => x.calls.has('metricsHandler') || x.strings.has('/metrics'),
    },
  ];
  if (f.store) {
    const storeType = ts ? ': Awaited<typeof parapetStore>' : '';
    list.push({
      id: 'store',
      summary: `the evidence store: PGlite in ${ENV.dataDir} (default ${DEFAULT_DATA_DIR}), ${f.migrations ? 'migrated at startup' : 'tables from `parapet migrate`'}`,
      imports: [{ from: '@parapet/evidence-pg', name: 'createEvidenceStore' }],
      module: [
        `// The evidence store: embedded PGlite in ${ENV.dataDir} (default ${DEFAULT_DATA_DIR}). For PostgreSQL pass`,
        '// `database: new pg.Pool({ connectionString: process.env.DATABASE_URL })` instead of dataDir.',
        f.migrations
          ? '// migrate: true applies pending migrations at startup (over a direct connection, not PgBouncer).'
          : '// Tables come from `npx parapet migrate` (or set migrate: true to apply them at startup).',
        `const parapetStore = createEvidenceStore({ dataDir: process.env.${ENV.dataDir} ?? '${DEFAULT_DATA_DIR}', migrate: ${f.migrations} });`,
        "parapetStore.catch((error) => console.error('parapet: the evidence store did not open; its routes answer 500:', error));",
        '// A fetch handler that waits for the store (a failed store answers 500, the app keeps running).',
        `const parapetOnStore = (make${ts ? `: (store${storeType}) => (request${request}) => Promise<globalThis.Response>` : ''}) => {`,
        '  const handler = parapetStore.then(make);',
        '  handler.catch(() => {}); // reported above',
        `  return async (request${request}) => (await handler)(request);`,
        '};',
      ],
      app: [],
      present: (x) => x.declared.has('parapetStore'),
    });
  }
  if (f.webhook) {
    list.push({
      id: 'webhook',
      summary: `POST /parapet/alertmanager: bearer tokens from ${ENV.webhookTokens}`,
      imports: [{ from: '@parapet/evidence-pg', name: 'createAlertmanagerWebhook' }, ...(express ? [{ from: adapter, name: 'toExpressHandler' }] : [])],
      module: [
        `// Alertmanager's webhook: bearer tokens from ${ENV.webhookTokens} (comma-separated), the content of the config's bearerTokenFile.`,
        `const parapetWebhook = parapetOnStore((store) => createAlertmanagerWebhook({ store, tokens: ${tokensFrom(ENV.webhookTokens)} }));`,
      ],
      app: [express ? `${app}.post('/parapet/alertmanager', toExpressHandler(parapetWebhook));` : `${app}.post('/parapet/alertmanager', (c) => parapetWebhook(c.req.raw));`],
      present: (x) => x.strings.has('/parapet/alertmanager'),
    });
  }
  if (f.operatorApi) {
    list.push({
      id: 'operator-api',
      summary: '/parapet/api: the operator API; authorize() denies everyone until you fill it in',
      imports: [{ from: '@parapet/evidence-pg', name: 'createOperatorApiHandler' }, ...(express ? [{ from: adapter, name: 'toExpressHandler' }] : [])],
      module: [
        'const parapetApi = parapetOnStore((store) =>',
        '  createOperatorApiHandler({',
        '    store,',
        "    basePath: '/parapet',",
        "    // TODO: return the signed-in operator from your own auth, { id, name, role: 'viewer' | 'responder' }.",
        '    // Until you do, every request is denied (401).',
        '    authorize: async (_request) => null,',
        '  }),',
        ');',
      ],
      app: [express ? `${app}.use('/parapet/api', toExpressHandler(parapetApi));` : `${app}.all('/parapet/api/*', (c) => parapetApi(c.req.raw));`],
      present: (x) => x.calls.has('createOperatorApiHandler') || x.strings.has('/parapet/api'),
    });
  }
  if (f.workbench) {
    list.push({
      id: 'workbench',
      summary: '/parapet: the workbench (its data goes through the operator API)',
      imports: [{ from: '@parapet/ui-react/handler', name: 'createWorkbenchHandler' }, ...(express ? [{ from: adapter, name: 'toExpressHandler' }] : [])],
      module: [
        '// The workbench UI; everything it shows comes through the operator API, so authorize() guards it.',
        `const parapetWorkbench = createWorkbenchHandler({ basePath: '/parapet' });`,
      ],
      app: express
        ? [`${app}.use('/parapet', toExpressHandler(parapetWorkbench));`]
        : [`${app}.get('/parapet', (c) => parapetWorkbench(c.req.raw));`, `${app}.get('/parapet/*', (c) => parapetWorkbench(c.req.raw));`],
      present: (x) => x.calls.has('createWorkbenchHandler'),
    });
  }
  return list;
}

/** The imports of several pieces, one entry per module, names in first-seen order and without duplicates. */
export function groupImports(specs: readonly ImportSpec[]): Map<string, string[]> {
  const byModule = new Map<string, string[]>();
  for (const { from, name } of specs) {
    const names = byModule.get(from) ?? [];
    if (!names.includes(name)) names.push(name);
    byModule.set(from, names);
  }
  return byModule;
}

/** Import lines in the file's module syntax. */
export function importLines(specs: readonly ImportSpec[], syntax: 'esm' | 'cjs'): string[] {
  return [...groupImports(specs)].map(([from, names]) =>
    syntax === 'esm' ? `import { ${names.join(', ')} } from '${from}';` : `const { ${names.join(', ')} } = require('${from}');`,
  );
}

/**
 * The whole snippet for a file the installer could not edit (no or several candidate apps):
 * imports, module-level code, and the app lines to put right after `const <app> = …`.
 */
export function manualSnippet(options: SnippetOptions & { readonly syntax: 'esm' | 'cjs' }): string {
  const all = pieces(options);
  const imports = importLines(all.flatMap((p) => p.imports), options.syntax);
  const moduleLines = all.flatMap((p) => p.module);
  const appLines = all.flatMap((p) => p.app);
  return [
    '// 1. With your imports:',
    ...imports,
    '',
    '// 2. Once, before the app is created:',
    ...moduleLines,
    '',
    `// 3. Right after your app is created (named ${options.app} here), before its routes and body parsers:`,
    ...appLines,
    '',
  ].join('\n');
}
