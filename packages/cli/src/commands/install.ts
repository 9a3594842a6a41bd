import { resolve } from 'node:path';
import type { PackageManager } from '../project/index.js';
import { DEFAULT_DATA_DIR, ENV, MAKE_TOKEN, MIN_TOKEN_LENGTH } from '../install/features.js';
import { unifiedDiff } from '../install/files.js';
import { applyPlan, checkCleanTree, planInstall, type InstallPlan } from '../install/plan.js';
import type { CommandContext } from './context.js';

export interface InstallArgs {
  /** `--from <dir>`: install the @parapet packages from this folder of packed tarballs. */
  readonly from?: string;
  readonly dryRun: boolean;
  readonly force: boolean;
  readonly webhook: boolean;
  readonly operatorApi: boolean;
  readonly workbench: boolean;
  readonly migrations: boolean;
}

/** Its lines in `parapet help`. */
export const installHelp = {
  synopsis: 'parapet install [--dry-run] [--force] [--from <dir>] [--webhook] [--operator-api] [--workbench] [--migrations]',
  commands: [['install', 'set Parapet up in this Express or Hono app: packages, entry file, parapet.config.ts, scripts']],
} as const;

export const installArgs = (values: Record<string, string | boolean | undefined>): InstallArgs => ({
  ...(typeof values.from === 'string' ? { from: values.from } : {}),
  dryRun: values['dry-run'] === true,
  force: values.force === true,
  webhook: values.webhook === true,
  operatorApi: values['operator-api'] === true,
  workbench: values.workbench === true,
  migrations: values.migrations === true,
});

const RUN: Record<PackageManager, string> = { npm: 'npm run', pnpm: 'pnpm', yarn: 'yarn', bun: 'bun run' };

function describe(plan: InstallPlan): string {
  const { framework, language, moduleSystem, packageManager } = plan.project;
  const name = framework.name === 'express' ? 'Express' : 'Hono';
  const version = framework.major === undefined ? '' : ` ${framework.major}`;
  const where = plan.entry.kind === 'manual' ? (plan.entry.path ?? 'no entry file') : `app \`${plan.entry.app.name ?? 'export default'}\` in ${plan.entry.path}`;
  return `${name}${version}, ${where} (${language === 'ts' ? 'TypeScript' : 'JavaScript'}, ${moduleSystem === 'esm' ? 'ES modules' : 'CommonJS'}, ${packageManager})`;
}

function manualPart(plan: InstallPlan, dryRun: boolean): string {
  if (plan.entry.kind !== 'manual') return '';
  const file = plan.entry.path ?? 'your entry file';
  const rest = plan.files.length > 0 || plan.steps.length > 0 ? (dryRun ? 'The rest would be done as shown above; ' : 'Everything listed above is done; ') : '';
  return (
    `\n${file}: not changed: ${plan.entry.reason}.\n` +
    `${rest}${rest ? 'p' : 'P'}aste this into ${file} yourself:\n\n` +
    plan.entry.snippet.replace(/^/gm, '    ').replace(/^ +$/gm, '') +
    '\n'
  );
}

function nextSteps(plan: InstallPlan, features: InstallArgs): string {
  const run = RUN[plan.project.packageManager];
  const steps: [string, string][] = [['git diff', 'review what was written']];
  // `start` runs the compiled file (dist/index.js): the edit to its source shows only after a build.
  const output = plan.project.entry?.output;
  if (output && plan.entry.kind !== 'manual') {
    const build = plan.project.packageJson?.scripts?.build ? `${run} build` : 'npx tsc';
    steps.push([build, `compile ${plan.entry.path} to ${output} first: start runs the build output`]);
  }
  steps.push([MAKE_TOKEN, `make a <secret>: at least ${MIN_TOKEN_LENGTH} characters (the doctor refuses shorter ones)`]);
  steps.push([`${ENV.metricsTokens}=<secret> ${run} start`, 'then: curl -H "authorization: Bearer <secret>" http://localhost:3000/metrics']);
  const store = features.webhook || features.operatorApi || features.workbench;
  if (store && !features.migrations) steps.push([`npx parapet migrate --database-url pglite:${DEFAULT_DATA_DIR}`, 'create the evidence tables (or install again with --migrations)']);
  steps.push([`${run} parapet:gen`, 'Prometheus rules, Alertmanager config, Grafana dashboards']);
  steps.push(['npx parapet doctor', 'check the setup; each finding links its section of node_modules/@parapet/cli/TROUBLESHOOTING.md']);
  const width = Math.max(...steps.map(([command]) => command.length)) + 3;
  return `Next:\n${steps.map(([command, why]) => `  ${command.padEnd(width)}${why}\n`).join('')}`;
}

/**
 * `parapet install`: sets Parapet up in the Express or Hono app in the working folder. Exit 0
 * when done (or nothing was left to do), 1 when the app's shape was not recognized (the snippet
 * to paste is printed) or a step failed, 2 for usage errors.
 */
export async function install(args: InstallArgs, { io }: CommandContext): Promise<number> {
  const root = io.cwd;
  const options = { ...(args.from ? { from: resolve(root, args.from) } : {}), dryRun: args.dryRun, force: args.force, features: args };
  const plan = planInstall(root, options);
  const out: string[] = [`parapet install: ${describe(plan)}\n`];
  const manual = plan.entry.kind === 'manual';

  if (plan.files.length === 0 && plan.steps.length === 0) {
    io.stdout(out.join('') + (manual ? manualPart(plan, args.dryRun) : 'Nothing to do: Parapet is already set up here; no file changed and nothing was installed.\n'));
    return manual ? 1 : 0;
  }

  if (args.dryRun) {
    for (const change of plan.files) out.push('\n' + unifiedDiff(change));
    for (const step of plan.steps) out.push(`\nWould run: ${step.argv.join(' ')}\n`);
    out.push(manualPart(plan, true));
    out.push('\nDry run: nothing was written and nothing was installed.\n');
    io.stdout(out.join(''));
    return manual ? 1 : 0;
  }

  checkCleanTree(root, args.force);
  io.stdout(out.join(''));
  const written = await applyPlan(plan, { onStep: (step) => io.stdout(`Installing ${step.dev ? 'dev tools' : 'packages'}: ${step.argv.join(' ')}\n`) });
  const lines = written.map((c) => `  ${c.path.padEnd(20)} ${c.summary.replace(/\n/g, `\n${' '.repeat(23)}`)}\n`);
  const kept = plan.entry.kind === 'unchanged' ? [`${plan.entry.path} (Parapet already set up)`, ...plan.kept] : plan.kept;
  io.stdout(
    `\nChanged:\n${lines.join('') || '  no file\n'}` +
      (plan.steps.length > 0 ? `  ${'dependencies'.padEnd(20)} ${plan.steps.flatMap((s) => s.names).join(', ')}\n` : '') +
      (kept.length > 0 ? `Kept:\n${kept.map((k) => `  ${k}\n`).join('')}` : '') +
      manualPart(plan, false) +
      (manual ? '' : '\n' + nextSteps(plan, args)),
  );
  return manual ? 1 : 0;
}
