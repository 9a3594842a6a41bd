/**
 * Runs every registered check and turns the outcomes into a report. A check that throws does not
 * stop the others: it becomes an `error` finding under its own id that names the bug, because a
 * doctor that crashes (or silently skips) tells the user nothing.
 */
import { STATUSES, type Check, type DoctorContext, type Finding, type Status } from './types.js';

/** `--threshold`: the lowest status that fails the run. */
export type Threshold = 'error' | 'warn';
export const THRESHOLDS: readonly Threshold[] = ['error', 'warn'];

/** The `--json` output. Its shape is public API (packages/cli/README.md, "parapet doctor"). */
export interface DoctorReport {
  /** Shape version; bumped only on a breaking change. */
  readonly version: 1;
  readonly threshold: Threshold;
  /** 0: nothing at or above the threshold; 1: something is. */
  readonly exitCode: 0 | 1;
  readonly summary: Readonly<Record<Status, number>>;
  readonly findings: readonly Finding[];
}

export async function runChecks(checks: readonly Check[], context: DoctorContext): Promise<Finding[]> {
  const findings: Finding[] = [];
  // One at a time: checks share memoised inputs and some open the database; the order is the report's.
  for (const check of checks) {
    const base = { id: check.id, title: check.title, group: check.group, docs: `${context.docs}#${check.id}` };
    try {
      const outcome = await check.run(context);
      findings.push({ ...base, ...outcome });
    } catch (cause) {
      const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
      findings.push({
        ...base,
        status: 'error',
        message: `The ${check.id} check crashed (${why.split('\n')[0]}). This is a bug in the Parapet doctor, not in your app.`,
        fix: 'Report it to the Parapet maintainers with this output; the other checks ran normally and their findings stand.',
      });
    }
  }
  return findings;
}

const RANK: Record<Status, number> = { skip: 0, info: 0, warn: 1, error: 2 };

export function report(findings: readonly Finding[], threshold: Threshold): DoctorReport {
  const summary = Object.fromEntries(STATUSES.map((s) => [s, findings.filter((f) => f.status === s).length])) as Record<Status, number>;
  const failing = findings.some((f) => RANK[f.status] >= RANK[threshold]);
  return { version: 1, threshold, exitCode: failing ? 1 : 0, summary, findings };
}

/** The status words of the JSON report and the docs, padded to one width. */
const LABEL: Record<Status, string> = { error: 'ERROR', warn: 'WARN ', info: 'info ', skip: 'skip ' };

/** The human report: one line per check, then what is wrong and how to fix it for warn and error. */
export function formatReport(doctor: DoctorReport): string {
  const lines: string[] = [];
  for (const f of doctor.findings) {
    lines.push(`${LABEL[f.status]} ${f.id}: ${f.message}`);
    for (const d of f.details ?? []) lines.push(`        - ${d}`);
    if (f.status === 'warn' || f.status === 'error') {
      if (f.fix) lines.push(`        How to fix: ${f.fix}`);
      lines.push(`        See ${f.docs}`);
    }
  }
  const { error, warn, info, skip } = doctor.summary;
  lines.push('', `${error} error${error === 1 ? '' : 's'}, ${warn} warning${warn === 1 ? '' : 's'}, ${info} info, ${skip} skipped (threshold: ${doctor.threshold}).`);
  if (skip > 0) lines.push('Skipped checks say which input they need (--url, --prometheus, --alertmanager, --database-url).');
  return `${lines.join('\n')}\n`;
}
