import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModule } from 'magicast';
import { describe, expect, it } from 'vitest';
import { packageDir } from '../test-support.js';
import { findApps } from '../project/index.js';
import { editEntry, type EditOptions } from './codemod.js';

const fixture = (path: string) => readFileSync(join(packageDir, 'test', 'fixtures', 'apps', path), 'utf8');
const esmTs: EditOptions = { moduleSystem: 'esm', language: 'ts', features: {} };
const esmJs: EditOptions = { moduleSystem: 'esm', language: 'js', features: {} };

function edited(code: string, framework: 'express' | 'hono', options: EditOptions): string {
  const result = editEntry(code, 'entry', framework, options);
  if (result.status !== 'edited') throw new Error(`expected an edit, got ${result.status}`);
  return result.code;
}

/** The non-blank lines right after the one that creates the app. */
function after(code: string, creation: string, count: number): string[] {
  const lines = code.split('\n').filter((line) => line.trim() !== '');
  const at = lines.indexOf(creation);
  expect(at, `"${creation}" in\n${code}`).toBeGreaterThanOrEqual(0);
  return lines.slice(at + 1, at + 1 + count);
}

describe('editEntry on the fixture apps', () => {
  it('Express 4 ESM: imports, then attach, instrument and /metrics right after `const app = express()`', () => {
    const code = edited(fixture('express4-esm/server.js'), 'express', esmJs);
    expect(code).toContain("import { attach } from '@parapet/core';\nimport { instrument, metricsHandler } from '@parapet/express';");
    expect(after(code, 'const app = express();', 5)).toEqual([
      '// Parapet (added by `parapet install`, yours to edit): record HTTP metrics into prom-client.',
      'attach();',
      'instrument(app);',
      '// Bearer tokens from PARAPET_METRICS_TOKENS (comma-separated); without one it serves only in NODE_ENV=development or test.',
      "app.get('/metrics', metricsHandler());",
    ]);
    // The rest of the file is as it was.
    expect(code).toContain("app.get('/users/:id', (req, res) => {\n  res.json({ id: req.params.id });\n});");
    expect(findApps(code)).toHaveLength(1);
  });

  it('Express CommonJS: requires, after the existing ones; the directive keeps one semicolon', () => {
    const code = edited(fixture('express-cjs/app.js'), 'express', { moduleSystem: 'cjs', language: 'js', features: {} });
    expect(code.startsWith("'use strict';\nconst express = require('express');\n\nconst { attach } = require('@parapet/core');\nconst { instrument, metricsHandler } = require('@parapet/express');\n")).toBe(true);
    expect(code).not.toContain('import ');
    expect(code.endsWith('});\n')).toBe(true);
  });

  it('Express 5 TS: the mounts go before express.json() (the webhook reads the raw body)', () => {
    const code = edited(fixture('express5-ts/src/server.ts'), 'express', { ...esmTs, features: { webhook: true, operatorApi: true } });
    const lines = code.split('\n');
    const index = (text: string) => lines.findIndex((l) => l.includes(text));
    expect(index("app.post('/parapet/alertmanager', toExpressHandler(parapetWebhook));")).toBeLessThan(index('app.use(express.json());'));
    expect(index("app.use('/parapet/api', toExpressHandler(parapetApi));")).toBeLessThan(index('app.use(express.json());'));
    expect(code).toContain('authorize: async (_request) => null,');
    // The file imports Express's own `Request` type: the generated code names the global one.
    expect(code).toContain('(request: globalThis.Request) => Promise<globalThis.Response>');
    expect(code).toContain('migrate: false');
  });

  it('Hono without semicolons: the snippet is spliced as one block, one statement per line', () => {
    const original = fixture('hono-ts/src/index.ts');
    const code = edited(original, 'hono', { ...esmTs, features: { webhook: true, workbench: true, migrations: true } });
    expect(after(code, 'const app = new Hono<Env>()', 2)).toEqual([
      '// Parapet (added by `parapet install`, yours to edit): record HTTP metrics into prom-client.',
      'attach();',
    ]);
    expect(code).toContain("instrument(app);\n// Bearer tokens from PARAPET_METRICS_TOKENS (comma-separated); without one it serves only in NODE_ENV=development or test.\napp.get('/metrics', metricsHandler());\napp.post('/parapet/alertmanager', (c) => parapetWebhook(c.req.raw));\napp.all('/parapet/api/*', (c) => parapetApi(c.req.raw));\napp.get('/parapet', (c) => parapetWorkbench(c.req.raw));\napp.get('/parapet/*', (c) => parapetWorkbench(c.req.raw));\napp.use(async (c, next) => {");
    // What the research saw go wrong: two statements printed on one line.
    expect(code).not.toMatch(/\)app\.|\)instrument\(|\)attach\(/);
    expect(code).toContain('migrate: true');
    // Every original line is still there, in order.
    const kept = code.split('\n').filter((line) => original.split('\n').includes(line));
    expect(kept.filter((l) => l.trim() !== '')).toEqual(original.split('\n').filter((l) => l.trim() !== ''));
    expect(() => parseModule(code)).not.toThrow();
  });

  it('a second run is unchanged; a new flag adds only its own piece', () => {
    const once = edited(fixture('hono-ts/src/index.ts'), 'hono', esmTs);
    expect(editEntry(once, 'entry', 'hono', esmTs).status).toBe('unchanged');
    const withWebhook = editEntry(once, 'entry', 'hono', { ...esmTs, features: { webhook: true } });
    expect(withWebhook.status).toBe('edited');
    if (withWebhook.status !== 'edited') return;
    expect(withWebhook.added.map((p) => p.id)).toEqual(['store', 'webhook']);
    expect(withWebhook.code.match(/attach\(\)/g)).toHaveLength(1);
    expect(withWebhook.code.match(/instrument\(app\)/g)).toHaveLength(1);
    expect(editEntry(withWebhook.code, 'entry', 'hono', { ...esmTs, features: { webhook: true } }).status).toBe('unchanged');
  });

  it('an app already set up by hand (instrument(express()), its own /metrics) is left alone', () => {
    const code = "import express from 'express';\nimport { attach } from '@parapet/core';\nimport { instrument, metricsHandler } from '@parapet/express';\nattach();\nconst app = instrument(express());\napp.get('/metrics', metricsHandler());\n";
    expect(editEntry(code, 'entry', 'express', esmJs).status).toBe('unchanged');
  });
});

describe('editEntry on other shapes', () => {
  it('export default new Hono(): the app gets a name, the lines follow it, the default export stays', () => {
    const code = edited("import { Hono } from 'hono'\n\nexport default new Hono()\n", 'hono', esmTs);
    expect(code).toContain('const app = new Hono();\n// Parapet');
    expect(code).toContain("app.get('/metrics', metricsHandler());\nexport default app;");
  });

  it('a factory: attach() once at the top level, instrument and /metrics inside the factory', () => {
    const source = "import express from 'express';\n\nexport function createApp() {\n  const app = express();\n  app.get('/', (_req, res) => res.send('ok'));\n  return app;\n}\n";
    const code = edited(source, 'express', esmJs);
    expect(code).toMatch(/attach\(\);\n\s*export function createApp\(\) \{\n {2}const app = express\(\);\n {2}instrument\(app\);/);
    expect(code).toContain("  app.get('/metrics', metricsHandler());\n  app.get('/', (_req, res) => res.send('ok'));");
  });

  it('no app, or several: nothing is edited and the snippet to paste is returned', () => {
    const none = editEntry(fixture('unrecognized/server.js'), 'server.js', 'express', esmJs);
    expect(none).toMatchObject({ status: 'unrecognized', candidates: [] });
    if (none.status !== 'unrecognized') return;
    expect(none.reason).toContain('no `const app = express()` at the top level');
    expect(none.snippet).toContain("import { attach } from '@parapet/core';\nimport { instrument, metricsHandler } from '@parapet/express';");
    expect(none.snippet).toContain("instrument(app);\n// Bearer tokens from PARAPET_METRICS_TOKENS (comma-separated); without one it serves only in NODE_ENV=development or test.\napp.get('/metrics', metricsHandler());");

    const two = editEntry("const express = require('express');\nconst api = express();\nconst admin = express();\n", 'two.js', 'express', { moduleSystem: 'cjs', language: 'js', features: {} });
    expect(two).toMatchObject({ status: 'unrecognized', reason: expect.stringContaining('2 candidate apps (api on line 2, admin on line 3)') });
    if (two.status === 'unrecognized') expect(two.snippet).toContain("const { attach } = require('@parapet/core');");
  });

  it('a file that does not parse is a clear error, not a crash', () => {
    expect(() => editEntry("import express from 'express'\nconst app = express(\n", 'broken.js', 'express', esmJs)).toThrow(/broken\.js does not parse: .*\n.*How to fix: fix the syntax error/);
  });
});
