import { ParapetError } from '@parapet/core/integration';
import type { CommandContext } from './context.js';
import { databaseUrl, loadEvidence, openDatabase, redact } from './evidence-db.js';

export interface MigrateArgs {
  /** `--database-url`; `DATABASE_URL` when omitted. */
  readonly databaseUrl?: string;
}

/** Its lines in `parapet help`. */
export const migrateHelp = {
  synopsis: 'parapet migrate [--database-url <url>]',
  commands: [['migrate', "run @parapet/evidence-pg's pending migrations (DATABASE_URL: postgres://… over a direct connection, or pglite:<dir>)"]],
} as const;

const MARK = { Success: 'ok     ', Error: 'FAILED ', NotExecuted: 'skipped' } as const;

/**
 * `parapet migrate`: runs the evidence store's migrations (Kysely's Migrator, its own
 * `parapet_migration` tables) and prints one line per step: ok / FAILED / skipped (not executed
 * because an earlier step failed). A failing step exits 1 with its message, never a stack.
 */
export async function migrate(args: MigrateArgs, { io }: CommandContext, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const url = databaseUrl(args.databaseUrl, env, 'migrate');
  const evidence = await loadEvidence('migrate');
  const { target, release } = await openDatabase(url, 'migrate');
  let report;
  try {
    report = await evidence.migrateEvidenceDatabase(target);
  } finally {
    await release().catch(() => {});
  }
  for (const r of report.results) io.stdout(`${MARK[r.status] ?? r.status} ${r.migrationName}\n`);
  if (report.error) {
    const message = report.error.message.replace(/\n[\s\S]*$/, '');
    throw new ParapetError('INTERNAL', `migrate failed on ${redact(url)}: ${message}`);
  }
  const ran = report.results.filter((r) => r.status === 'Success').length;
  io.stdout(ran === 0 ? `Evidence database ${redact(url)} is up to date.\n` : `Applied ${ran} migration${ran === 1 ? '' : 's'} to ${redact(url)}.\n`);
  return 0;
}
