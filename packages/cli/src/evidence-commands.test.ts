/**
 * `parapet migrate` and `parapet archive`: the real bin against a fresh PostgreSQL database per
 * test and against PGlite data directories, with evidence seeded through @parapet/evidence-pg.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { needs, databaseUrl } from '@parapet/vitest-preset/services';
import { createEvidenceStore, type AlertmanagerPayload, type EvidenceStoreOptions } from '@parapet/evidence-pg';
import { bin, removeScratch, repoRoot, scratch } from './test-support.js';

const hasPostgres = await needs('postgres');
afterAll(removeScratch);

const run = promisify(execFile);
async function parapet(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const base: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' };
  delete base.DATABASE_URL;
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd: repoRoot, env: { ...base, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** No stack trace: no `    at ` frames in what the user sees. */
const noStack = (text: string) => expect(text).not.toMatch(/^\s+at /m);

const ada = { id: 'u-ada', name: 'Ada', role: 'responder' as const };

function firing(fingerprint: string, status: 'firing' | 'resolved' = 'firing'): AlertmanagerPayload {
  const startsAt = '2026-01-01T00:00:00Z';
  return {
    receiver: 'parapet',
    status,
    alerts: [
      {
        status,
        labels: { alertname: 'HighErrorRate', severity: 'critical', slo: 'checkout-availability', service: 'checkout' },
        annotations: { summary: 'checkout errors' },
        startsAt,
        endsAt: status === 'resolved' ? '2026-01-01T00:10:00Z' : '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.example.com:9090/graph',
        fingerprint,
      },
    ],
    groupLabels: { alertname: 'HighErrorRate' },
    commonLabels: { alertname: 'HighErrorRate' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example.com:9093',
    version: '4',
    groupKey: `{}:{fingerprint="${fingerprint}"}`,
    truncatedAlerts: 0,
  } as AlertmanagerPayload;
}

/** Two incidents: one acknowledged and resolved by an operator (2 audits), one still open. */
async function seed(target: Pick<EvidenceStoreOptions, 'database' | 'dataDir'>): Promise<void> {
  const store = await createEvidenceStore(target);
  try {
    await store.ingestAlertmanager({ payload: firing('aaaa000000000001') });
    await store.ingestAlertmanager({ payload: firing('aaaa000000000002') });
    const { items } = await store.listIncidents({ state: 'active' });
    const resolved = items.find((i) => i.fingerprint === 'aaaa000000000001')!;
    await store.act({ incidentId: resolved.id, action: 'acknowledge', actor: ada, rationale: 'looking' });
    await store.act({ incidentId: resolved.id, action: 'resolve', actor: ada, rationale: 'rolled back' });
  } finally {
    await store.close();
  }
}

async function counts(target: Pick<EvidenceStoreOptions, 'database' | 'dataDir'>): Promise<{ active: number; resolved: number }> {
  const store = await createEvidenceStore({ ...target, migrate: false });
  try {
    return { active: (await store.listIncidents({ state: 'active' })).items.length, resolved: (await store.listIncidents({ state: 'resolved' })).items.length };
  } finally {
    await store.close();
  }
}

describe('parapet migrate / archive on PGlite data directories', () => {
  it('migrates from empty, is idempotent, archives resolved incidents only and exports their audits first', async () => {
    const dir = scratch();
    const url = `pglite:${join(dir, 'evidence')}`;
    const first = await parapet(['migrate', '--database-url', url]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^ok +evidence\/0001_spine$/m);
    expect(first.stdout).toContain('Applied 1 migration');

    const again = await parapet(['migrate'], { DATABASE_URL: url });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('is up to date');

    await seed({ dataDir: join(dir, 'evidence') });

    const dry = await parapet(['archive', '--older-than', '0', '--dry-run', '--database-url', url]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Dry run: would delete 1 resolved incident ');
    expect(dry.stdout).toContain('2 audits');
    expect(await counts({ dataDir: join(dir, 'evidence') })).toEqual({ active: 1, resolved: 1 });

    const exportFile = join(dir, 'audits.jsonl');
    const real = await parapet(['archive', '--older-than', '0', '--export', exportFile], { DATABASE_URL: url });
    expect(real.stderr).toBe('');
    expect(real.code).toBe(0);
    expect(real.stdout).toContain('Deleted 1 resolved incident ');
    const lines = readFileSync(exportFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; actor_id: string; rationale: string });
    expect(lines.map((l) => l.action)).toEqual(['acknowledge', 'resolve']);
    expect(lines.every((l) => l.actor_id === 'u-ada' && l.rationale.length > 0)).toBe(true);
    expect(await counts({ dataDir: join(dir, 'evidence') })).toEqual({ active: 1, resolved: 0 });
  });

  it('refuses to delete without --export, and takes only its own flags', async () => {
    const dir = scratch();
    const noExport = await parapet(['archive', '--older-than', '30', '--database-url', `pglite:${dir}`]);
    expect(noExport.code).toBe(2);
    expect(noExport.stderr).toContain('pass --export <audits.jsonl>, or --dry-run to only count');
    const noDays = await parapet(['archive', '--dry-run', '--database-url', `pglite:${dir}`]);
    expect(noDays.code).toBe(2);
    expect(noDays.stderr).toContain('needs --older-than <days>');
    const badDays = await parapet(['archive', '--older-than', 'soon', '--dry-run']);
    expect(badDays.code).toBe(2);
    expect(badDays.stderr).toContain('--older-than takes a number of days');
    const wrongFlag = await parapet(['migrate', '--dry-run']);
    expect(wrongFlag.code).toBe(2);
    expect(wrongFlag.stderr).toContain('parapet migrate does not take --dry-run; it takes --database-url.');
    const noUrl = await parapet(['migrate']);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain('set DATABASE_URL or pass --database-url');
    const badUrl = await parapet(['migrate', '--database-url', 'mysql://root:secret@db/app']);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('must start with postgres://, postgresql:// or pglite:');
    expect(badUrl.stderr).not.toContain('secret');
  });
});

describe.runIf(hasPostgres)('parapet migrate / archive on PostgreSQL (a fresh database per test)', () => {
  const made: string[] = [];
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    for (const name of made) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  async function freshDatabase(setup?: string): Promise<string> {
    const name = `parapet_cli_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    made.push(name);
    const u = new URL(databaseUrl);
    u.pathname = `/${name}`;
    if (setup) {
      const c = new pg.Client({ connectionString: u.toString() });
      await c.connect();
      await c.query(setup);
      await c.end();
    }
    return u.toString();
  }

  it('migrates from empty over DATABASE_URL, then archives with an export', async () => {
    const url = await freshDatabase();
    const first = await parapet(['migrate'], { DATABASE_URL: url });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^ok +evidence\/0001_spine$/m);
    expect((await parapet(['migrate', '--database-url', url])).stdout).toContain('is up to date');

    const pool = new pg.Pool({ connectionString: url });
    pool.on('error', () => {});
    try {
      await seed({ database: pool });
      const dir = scratch();
      const exportFile = join(dir, 'nested-not-created', 'audits.jsonl');
      const unwritable = await parapet(['archive', '--older-than', '0', '--export', exportFile, '--database-url', url]);
      expect(unwritable.code).toBe(2);
      expect(unwritable.stderr).toContain('Cannot write the audit export');
      expect(existsSync(exportFile)).toBe(false);

      const ok = join(dir, 'audits.jsonl');
      const real = await parapet(['archive', '--older-than', '0', '--export', ok], { DATABASE_URL: url });
      expect(real.stderr).toBe('');
      expect(real.code).toBe(0);
      expect(real.stdout).toContain('Deleted 1 resolved incident ');
      expect(real.stdout).toContain('2 audits');
      expect(readFileSync(ok, 'utf8').trim().split('\n')).toHaveLength(2);
      expect(await counts({ database: pool })).toEqual({ active: 1, resolved: 0 });
      const left = await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM parapet_audit`);
      expect(left.rows[0]!.n).toBe('0');
    } finally {
      await pool.end();
    }
  });

  it('prints each step and the failing one without a stack when a migration fails', async () => {
    // An object in the way of the first migration: its step fails, nothing is half-applied.
    const url = await freshDatabase('CREATE SEQUENCE parapet_change_seq');
    const failed = await parapet(['migrate', '--database-url', url]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^FAILED +evidence\/0001_spine$/m);
    expect(failed.stderr).toContain('relation "parapet_change_seq" already exists');
    noStack(failed.stderr);

    const archive = await parapet(['archive', '--older-than', '1', '--dry-run', '--database-url', url]);
    expect(archive.code).toBe(1);
    expect(archive.stderr).toContain('Run `parapet migrate` first.');
    noStack(archive.stderr);
  });

  it('says so when the database does not exist', async () => {
    const u = new URL(databaseUrl);
    u.pathname = `/parapet_cli_missing_${randomBytes(4).toString('hex')}`;
    const result = await parapet(['migrate', '--database-url', u.toString()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/database "parapet_cli_missing_[0-9a-f]+" does not exist/);
    noStack(result.stderr);
  });
});
