import { ParapetError } from '@parapet/core/integration';

/** The parts of @parapet/evidence-pg the CLI uses (loaded lazily: it is an optional peer). */
export interface EvidenceModule {
  migrateEvidenceDatabase(args: { database?: unknown; dataDir?: string }): Promise<{
    results: readonly { migrationName: string; direction: string; status: 'Success' | 'Error' | 'NotExecuted' }[];
    error?: Error;
  }>;
  createEvidenceStore(options: { database?: unknown; dataDir?: string; migrate?: boolean }): Promise<{
    archive(args: { olderThanMs: number; dryRun?: boolean; exportAudits?: (jsonLines: string) => Promise<void> | void }): Promise<{ dryRun: boolean; incidents: number; timelineEntries: number; audits: number; other: Record<string, number> }>;
    close(): Promise<void>;
  }>;
}

interface PgPool {
  end(): Promise<void>;
  on(event: 'error', fn: () => void): void;
  connect(): Promise<unknown>;
}

/** Loads @parapet/evidence-pg, or says how to install it. */
export async function loadEvidence(command: string): Promise<EvidenceModule> {
  try {
    return (await import('@parapet/evidence-pg' as string)) as EvidenceModule;
  } catch (cause) {
    throw new ParapetError('MISSING_PEER', `parapet ${command} needs @parapet/evidence-pg (and pg for PostgreSQL): npm install @parapet/evidence-pg pg`, { cause });
  }
}

/** Where the evidence database is: `--database-url`, else `DATABASE_URL`. */
export function databaseUrl(given: string | undefined, env: NodeJS.ProcessEnv, command: string): string {
  const url = (given ?? env.DATABASE_URL)?.trim();
  if (!url) {
    throw new ParapetError('USAGE', `parapet ${command} needs the evidence database: set DATABASE_URL or pass --database-url, e.g. --database-url postgres://user@127.0.0.1:5432/app (or pglite:./parapet-data for an embedded store).`);
  }
  if (!url.startsWith('pglite:') && !/^postgres(ql)?:\/\//.test(url)) {
    throw new ParapetError('USAGE', `The database URL must start with postgres://, postgresql:// or pglite:; got ${JSON.stringify(redact(url))}.`);
  }
  return url;
}

/** Hides a password in a connection string before printing it. */
export function redact(url: string): string {
  return url.replace(/\/\/([^@/:]*):[^@/]*@/, '//$1:…@');
}

/**
 * What `database`/`dataDir` to hand evidence-pg for a URL: `pglite:<dir>` is an embedded data
 * directory; `postgres://…` a pg.Pool (the CLI's own, ended by `release`).
 */
export async function openDatabase(url: string, command: string): Promise<{ target: { database?: unknown; dataDir?: string }; release(): Promise<void> }> {
  if (url.startsWith('pglite:')) return { target: { dataDir: url.slice('pglite:'.length) || '.' }, release: async () => {} };
  let pg: { Pool: new (config: { connectionString: string; max?: number; application_name?: string }) => PgPool };
  try {
    const mod = (await import('pg' as string)) as { default?: typeof pg } & typeof pg;
    pg = mod.default ?? mod;
  } catch (cause) {
    throw new ParapetError('MISSING_PEER', `parapet ${command} needs the \`pg\` package to reach PostgreSQL: npm install pg`, { cause });
  }
  const pool = new pg.Pool({ connectionString: url, max: 2, application_name: `parapet-${command}` });
  pool.on('error', () => {});
  return { target: { database: pool }, release: () => pool.end() };
}
