// The doctor reads what `parapet install` writes: on the installer's own output (Express and Hono,
// every opt-in piece) the source checks recognise each piece; the one finding left is the
// authorize() stub the installer writes on purpose, until the host fills it in.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../src/doctor/registry.js';
import { editEntry } from '../src/install/codemod.js';
import { configSource } from '../src/install/config-file.js';
import { removeScratch, scratch } from '../src/test-support.js';
import { checkIn } from './doctor-support.js';

afterAll(removeScratch);

const apps = {
  express: "import express from 'express';\nconst app = express();\napp.use(express.json());\napp.get('/', (_req, res) => res.send('hi'));\napp.listen(3000);\n",
  hono: "import { Hono } from 'hono';\nimport { serve } from '@hono/node-server';\nconst app = new Hono();\napp.get('/', (c) => c.text('hi'));\nserve({ fetch: app.fetch, port: 3000 });\n",
} as const;

describe('parapet doctor on the output of parapet install', () => {
  for (const [framework, code] of Object.entries(apps) as [keyof typeof apps, string][]) {
    it(`${framework}: every piece is recognised; only the authorize() stub is left to do`, async () => {
      const result = editEntry(code, 'src/server.ts', framework, { moduleSystem: 'esm', language: 'ts', features: { webhook: true, operatorApi: true, workbench: true, migrations: true } });
      if (result.status !== 'edited') throw new Error(`the installer did not edit the app: ${JSON.stringify(result)}`);
      const dir = scratch();
      mkdirSync(join(dir, 'src'));
      writeFileSync(join(dir, 'src', 'server.ts'), result.code);
      writeFileSync(join(dir, 'package.json'), '{ "name": "installed", "private": true, "type": "module", "main": "src/server.ts" }');
      writeFileSync(join(dir, 'parapet.config.ts'), configSource());
      const env = { PARAPET_METRICS_TOKENS: 'metrics-token-0123456789abcdef', PARAPET_WEBHOOK_TOKENS: 'webhook-token-0123456789abcdef' };
      const findings = Object.fromEntries(await Promise.all(CHECKS.filter((c) => c.group === 'source').map(async (c) => [c.id, await checkIn(c.id, dir, { env })] as const)));
      expect(findings['metrics-route']!.status).toBe('info');
      expect(findings['metrics-token']!.status).toBe('info');
      expect(findings['production-token']!.message).toBe('2 token variables set (PARAPET_WEBHOOK_TOKENS, PARAPET_METRICS_TOKENS).');
      expect(findings['webhook-raw-body']!.status).toBe('info');
      expect(findings['mcp-origin']!.status).toBe('skip');
      // The config's webhookUrl is the route --webhook mounted.
      expect(findings['webhook-route']!.message).toMatch(/^src\/server\.ts serves Alertmanager's webhook at \/parapet\/alertmanager \(src\/server\.ts:\d+\)/);
      expect(findings['operator-auth']!.status).toBe('warn');
      expect(findings['operator-auth']!.details).toEqual([expect.stringContaining("authorize denies every request (the installer's stub)")]);
      // --migrations: the store applies them itself (read from the source; the directory is not opened).
      const migrations = await checkIn('migrations-applied', dir, { env });
      expect(migrations.status).toBe('info');
      expect(migrations.message).toMatch(/^The embedded PGlite evidence store \(src\/server\.ts:\d+\) applies pending migrations when the app opens it/);
      // Its data directory is found in the file (nothing written there yet).
      const pglite = await checkIn('pglite-version', dir, { env });
      expect(pglite.message).toContain(`${join(dir, 'parapet-data')} is not a PGlite data directory yet`);
    });
  }

  it('without --webhook the config still routes alerts to /parapet/alertmanager: webhook-route warns, and the config says which route must exist', async () => {
    const result = editEntry(apps.express, 'src/server.ts', 'express', { moduleSystem: 'esm', language: 'ts', features: {} });
    if (result.status !== 'edited') throw new Error('the installer did not edit the app');
    const dir = scratch();
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'server.ts'), result.code);
    writeFileSync(join(dir, 'package.json'), '{ "name": "installed", "private": true, "type": "module", "main": "src/server.ts" }');
    writeFileSync(join(dir, 'parapet.config.ts'), configSource());
    expect(configSource()).toMatch(/must serve the route: POST\n\s*\/\/ \/parapet\/alertmanager, which `npx @parapet\/cli install --webhook` mounts/);
    expect(configSource()).toContain('localhost only when both run on the same host');
    const finding = await checkIn('webhook-route', dir);
    expect(finding.status).toBe('warn');
    expect(finding.fix).toContain('npx @parapet/cli install --webhook adds POST /parapet/alertmanager');
  });

  it('--webhook without --migrations: the PGlite store does not migrate itself, so migrations-applied warns with the command to run', async () => {
    const result = editEntry(apps.hono, 'src/server.ts', 'hono', { moduleSystem: 'esm', language: 'ts', features: { webhook: true } });
    if (result.status !== 'edited') throw new Error('the installer did not edit the app');
    expect(result.code).toContain('migrate: false');
    const dir = scratch();
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'server.ts'), result.code);
    writeFileSync(join(dir, 'package.json'), '{ "name": "installed", "private": true, "type": "module", "main": "src/server.ts" }');
    const finding = await checkIn('migrations-applied', dir);
    expect(finding.status).toBe('warn');
    expect(finding.message).toContain('is opened with migrate: false: it does not create its tables');
    expect(finding.fix).toBe(
      'With the app stopped (a PGlite directory has one user at a time), run npx parapet migrate --database-url pglite:parapet-data; or run npx @parapet/cli install --migrations again, which sets migrate: true so the app applies them at startup.',
    );
    // The same with the directory given as the URL; a PostgreSQL URL is still queried (not tested here: doctor-checks).
    expect((await checkIn('migrations-applied', dir, { options: { databaseUrl: 'pglite:/srv/app/data' } })).fix).toContain('pglite:/srv/app/data');
  });
});
