import { appendFile, open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isParapetError, ParapetError } from '@parapet/core/integration';
import type { CommandContext } from './context.js';
import { plural } from '../plural.js';
import { databaseUrl, loadEvidence, openDatabase, redact } from './evidence-db.js';

export interface ArchiveCliArgs {
  /** Resolved incidents resolved more than this many days ago are deleted. */
  readonly olderThanDays: number;
  /** Count only. */
  readonly dryRun: boolean;
  /** JSON-lines file the audits are appended to before they are deleted (required unless dry run). */
  readonly export?: string;
  readonly databaseUrl?: string;
}

/** Its lines in `parapet help`. */
export const archiveHelp = {
  synopsis: 'parapet archive --older-than <days> (--dry-run | --export <audits.jsonl>) [--database-url <url>]',
  commands: [['archive', 'delete resolved incidents older than N days (audits exported first as JSON lines; --dry-run counts only)']],
} as const;

const DAY_MS = 86_400_000;

/** Validates the archive flags. */
export function archiveArgs(values: { 'older-than'?: string; 'dry-run'?: boolean; export?: string; 'database-url'?: string }): ArchiveCliArgs {
  const raw = values['older-than'];
  if (raw === undefined) throw new ParapetError('USAGE', 'parapet archive needs --older-than <days>, e.g. --older-than 90 (resolved incidents resolved more than 90 days ago).');
  const days = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(days) || days < 0) throw new ParapetError('USAGE', `--older-than takes a number of days (0 or more), e.g. --older-than 90; got "${raw}".`);
  const dryRun = values['dry-run'] === true;
  if (!dryRun && !values.export) {
    throw new ParapetError('USAGE', 'parapet archive deletes audits only after exporting them: pass --export <audits.jsonl>, or --dry-run to only count.');
  }
  return { olderThanDays: days, dryRun, ...(values.export ? { export: values.export } : {}), ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}) };
}

/**
 * `parapet archive`: retention of resolved incidents (never open or investigating ones) and of
 * everything else that grows. Audits are appended to `--export` before their rows are deleted;
 * the file is created if missing and never truncated. Needs a migrated database.
 */
export async function archive(args: ArchiveCliArgs, { io }: CommandContext, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const url = databaseUrl(args.databaseUrl, env, 'archive');
  const exportPath = args.export === undefined ? undefined : resolve(io.cwd, args.export);
  if (exportPath !== undefined && !args.dryRun) {
    // Fail before touching the database when the file cannot be written.
    try {
      await (await open(exportPath, 'a')).close();
    } catch (cause) {
      throw new ParapetError('USAGE', `Cannot write the audit export ${exportPath}: ${(cause as Error).message}`, { cause });
    }
  }
  const evidence = await loadEvidence('archive');
  const { target, release } = await openDatabase(url, 'archive');
  let store: Awaited<ReturnType<typeof evidence.createEvidenceStore>> | undefined;
  try {
    store = await evidence.createEvidenceStore({ ...target, migrate: false });
    const report = await store.archive({
      olderThanMs: args.olderThanDays * DAY_MS,
      dryRun: args.dryRun,
      ...(exportPath !== undefined && !args.dryRun ? { exportAudits: (lines: string) => appendFile(exportPath, lines) } : {}),
    });
    const verb = report.dryRun ? 'would delete' : 'Deleted';
    io.stdout(`${report.dryRun ? 'Dry run: ' : ''}${verb} ${plural(report.incidents, 'resolved incident')} (resolved more than ${plural(args.olderThanDays, 'day')} ago), ${plural(report.timelineEntries, 'timeline entry', 'timeline entries')}, ${plural(report.audits, 'audit')}\n`);
    for (const [table, n] of Object.entries(report.other)) io.stdout(`  ${table}: ${plural(n, 'row')} ${report.dryRun ? 'to delete' : 'deleted'}\n`);
    if (!report.dryRun && exportPath !== undefined) io.stdout(`Audits exported to ${exportPath}\n`);
    return 0;
  } catch (error) {
    if (isParapetError(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const hint = /does not exist/.test(message) ? ' Run `parapet migrate` first.' : '';
    throw new ParapetError('UNAVAILABLE', `archive failed on ${redact(url)}: ${message}.${hint}`, { cause: error });
  } finally {
    await store?.close().catch(() => {});
    await release().catch(() => {});
  }
}
