import { isAbsolute, relative, sep } from 'node:path';
import { UsageError } from '../errors.js';
import { CHECKS } from '../doctor/registry.js';
import { formatReport, report, runChecks, THRESHOLDS, type Threshold } from '../doctor/run.js';
import { doctorContext } from '../doctor/context.js';
import { DOCS_PAGE, type DoctorOptions } from '../doctor/types.js';
import type { CommandContext } from './context.js';

export interface DoctorArgs extends DoctorOptions {
  readonly threshold: Threshold;
  readonly json: boolean;
}

/** Its lines in `parapet help`. */
export const doctorHelp = {
  synopsis: 'parapet doctor [--ci] [--threshold warn|error] [--json] [--url <app>] [--prometheus <url>] [--alertmanager <url>]',
  commands: [['doctor', 'check the setup (config, routes, tokens, database, rules; live with --url/--prometheus/--alertmanager); exit 1 on error']],
} as const;

/** Builds DoctorArgs from parsed flags; `--ci` is `--threshold warn`, and the two must agree. */
export function doctorArgs(values: Record<string, string | boolean | undefined>, config: string): DoctorArgs {
  const given = values.threshold as string | undefined;
  if (given !== undefined && !(THRESHOLDS as readonly string[]).includes(given)) throw new UsageError(`--threshold must be warn or error (got "${given}").`);
  if (values.ci && given === 'error') throw new UsageError('--ci means --threshold warn; drop one of --ci and --threshold error.');
  for (const flag of ['url', 'prometheus', 'alertmanager'] as const) {
    const value = values[flag] as string | undefined;
    if (value !== undefined && !/^https?:\/\/[^/\s]+/.test(value)) throw new UsageError(`--${flag} needs an http(s) URL, e.g. --${flag} http://127.0.0.1:${flag === 'url' ? 3000 : flag === 'prometheus' ? 9090 : 9093} (got "${value}").`);
  }
  const str = (name: string) => (typeof values[name] === 'string' ? { [name]: values[name] as string } : {});
  return {
    threshold: values.ci ? 'warn' : ((given as Threshold | undefined) ?? 'error'),
    json: values.json === true,
    config,
    rules: (values.rules as string | undefined) ?? 'parapet/prometheus',
    ...(values['database-url'] ? { databaseUrl: values['database-url'] as string } : {}),
    ...(values['metrics-token'] ? { metricsToken: values['metrics-token'] as string } : {}),
    ...str('url'),
    ...str('prometheus'),
    ...str('alertmanager'),
    ...str('entry'),
  };
}

/**
 * How a finding names the troubleshooting guide: relative to the project when the file is inside it
 * (`node_modules/@parapet/cli/TROUBLESHOOTING.md`, or `docs/troubleshooting.md` in the Parapet
 * repository), absolute otherwise (an `npx` cache, a global install).
 */
export function docsPage(cwd: string, file: string | undefined): string {
  if (file === undefined) return DOCS_PAGE;
  const near = relative(cwd, file);
  return (near.startsWith('..') || isAbsolute(near) ? file : near).split(sep).join('/');
}

/**
 * `parapet doctor`: runs every check (doctor/registry.ts) and prints one line per finding, or the
 * JSON report with `--json`. Exit 1 when a finding is at or above the threshold (error; warn with
 * `--ci` / `--threshold warn`), else 0. Findings never throw: usage errors exit 2 as elsewhere.
 */
export async function doctor(args: DoctorArgs, { io, loadConfig, troubleshooting }: CommandContext, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const context = doctorContext(args, io, env, loadConfig, docsPage(io.cwd, troubleshooting));
  const result = report(await runChecks(CHECKS, context), args.threshold);
  io.stdout(args.json ? `${JSON.stringify(result, null, 2)}\n` : formatReport(result));
  return result.exitCode;
}
