/** Command-line parsing for `parapet`, on node's `util.parseArgs` (strict: unknown flags are errors). */
import { parseArgs as parseArgv } from 'node:util';
import { closest, distance } from 'fastest-levenshtein';
import { costHelp, type CostArgs } from './commands/cost.js';
import { doctorArgs, doctorHelp, type DoctorArgs } from './commands/doctor.js';
import { TARGETS, defaultOut, genHelp, type GenArgs, type Target } from './commands/gen.js';
import { archiveArgs, archiveHelp, type ArchiveCliArgs } from './commands/archive.js';
import { mcpArgs, mcpHelp, type McpArgs } from './commands/mcp.js';
import { DEFAULT_IMPORT_OUT, IMPORT_FORMATS, importHelp, type ImportArgs, type ImportFormat } from './commands/import.js';
import { installArgs, installHelp, type InstallArgs } from './commands/install.js';
import { migrateHelp, type MigrateArgs } from './commands/migrate.js';
import { UsageError } from './errors.js';

export { TARGETS, type Target };

export type Command =
  | ({ readonly kind: 'gen' } & GenArgs)
  | ({ readonly kind: 'cost' } & CostArgs)
  | ({ readonly kind: 'mcp' } & McpArgs)
  | ({ readonly kind: 'import' } & ImportArgs)
  | ({ readonly kind: 'migrate' } & MigrateArgs)
  | ({ readonly kind: 'archive' } & ArchiveCliArgs)
  | ({ readonly kind: 'doctor' } & DoctorArgs)
  | ({ readonly kind: 'install' } & InstallArgs)
  | { readonly kind: 'help' };

export const DEFAULT_CONFIG = 'parapet.config.ts';

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  out: { type: 'string', short: 'o' },
  'runbook-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  http: { type: 'boolean' },
  port: { type: 'string' },
  host: { type: 'string' },
  'database-url': { type: 'string' },
  'older-than': { type: 'string' },
  'dry-run': { type: 'boolean' },
  export: { type: 'string' },
  ci: { type: 'boolean' },
  threshold: { type: 'string' },
  json: { type: 'boolean' },
  url: { type: 'string' },
  'metrics-token': { type: 'string' },
  prometheus: { type: 'string' },
  alertmanager: { type: 'string' },
  rules: { type: 'string' },
  entry: { type: 'string' },
  from: { type: 'string' },
  force: { type: 'boolean' },
  webhook: { type: 'boolean' },
  'operator-api': { type: 'boolean' },
  workbench: { type: 'boolean' },
  migrations: { type: 'boolean' },
} as const;
type OptionName = keyof typeof OPTIONS;

/** The options each command takes (`--help` is always allowed). */
const COMMANDS = ['install', 'gen', 'cost', 'import', 'mcp', 'migrate', 'archive', 'doctor'] as const;
type CommandName = (typeof COMMANDS)[number];
const ACCEPTS: Record<CommandName, readonly OptionName[]> = {
  gen: ['config', 'out'],
  cost: ['config'],
  import: ['out', 'runbook-url'],
  mcp: ['http', 'port', 'host'],
  migrate: ['database-url'],
  archive: ['older-than', 'dry-run', 'export', 'database-url'],
  doctor: ['config', 'ci', 'threshold', 'json', 'url', 'metrics-token', 'prometheus', 'alertmanager', 'database-url', 'rules', 'entry'],
  install: ['from', 'dry-run', 'force', 'webhook', 'operator-api', 'workbench', 'migrations'],
};
const EXAMPLE_VALUE: Record<OptionName, string> = {
  config: DEFAULT_CONFIG, out: 'ops/prometheus', 'runbook-url': 'https://runbooks.example.com/slo', help: '', http: '', port: '7341', host: '127.0.0.1',
  'database-url': 'postgres://user@127.0.0.1:5432/app', 'older-than': '90', 'dry-run': '', export: 'audits.jsonl',
  ci: '', threshold: 'warn', json: '', url: 'http://127.0.0.1:3000', 'metrics-token': '$PARAPET_METRICS_TOKENS', prometheus: 'http://127.0.0.1:9090',
  alertmanager: 'http://127.0.0.1:9093', rules: 'parapet/prometheus', entry: 'src/server.ts',
  from: 'packs', force: '', webhook: '', 'operator-api': '', workbench: '', migrations: '',
};

/** Each command's lines in the usage: its synopsis and what it does. */
const HELP: Record<CommandName, { readonly synopsis: string; readonly commands: readonly (readonly [string, string])[] }> = {
  install: installHelp, gen: genHelp, cost: costHelp, import: importHelp, mcp: mcpHelp, migrate: migrateHelp, archive: archiveHelp, doctor: doctorHelp,
};
const rows = COMMANDS.flatMap((name) => HELP[name].commands);
const width = Math.max(...rows.map(([name]) => name.length)) + 2;
const SYNOPSES = `Usage:\n${COMMANDS.map((name) => `  ${HELP[name].synopsis}\n`).join('')}  parapet help\n`;

export const USAGE = `${SYNOPSES}
${rows.map(([name, text]) => `  ${name.padEnd(width)}${text}`).join('\n')}

Options:
  -c, --config <file>  TypeScript or JavaScript config (.ts .mts .cts .js .mjs .cjs) whose default export
                       is defineConfig({ providers: [...] }) (default: ${DEFAULT_CONFIG})
  -o, --out <dir>      output folder for gen (default: parapet/<target>); output file for import
      --runbook-url <url>  import: runbook for SLOs without a parapet.dev/runbook-url annotation
  --http               parapet mcp: serve HTTP (Bearer $PARAPET_MCP_TOKEN) instead of stdio
  --port <n>, --host <addr>  the --http listener (default 7341 on 127.0.0.1)
  --database-url <url> migrate, archive: the evidence database (default: $DATABASE_URL)
  --older-than <days>  archive: delete incidents resolved more than this many days ago
  --dry-run            archive: print counts, delete nothing; install: print the diff, write nothing
  --force              install: edit a git tree that has uncommitted changes
  --from <dir>         install: @parapet packages from this folder of packed .tgz files (npm run pack)
  --webhook, --operator-api, --workbench, --migrations
                       install: also mount the Alertmanager webhook, the operator API (its authorize()
                       denies until you fill it in), the workbench; apply evidence migrations at startup
  --export <file>      archive: append audits (JSON lines) to this file before deleting them
  --ci, --threshold warn|error  doctor: fail (exit 1) on warnings too / the lowest failing status (default error)
  --json               doctor: print the report as JSON (packages/cli/README.md describes its shape)
  --url <url>          doctor: the running app's base URL; scrapes <url>/metrics with --metrics-token
                       <token> (default: the first of $PARAPET_METRICS_TOKENS)
  --prometheus <url>, --alertmanager <url>  doctor: check the running Prometheus / Alertmanager
  --rules <dir>        doctor: where parapet gen prometheus wrote (default: parapet/prometheus)
  --entry <file>       doctor: the app's entry file (default: detected)
  -h, --help           this text

Exit codes: 0 success, 1 invalid SLO specs, 2 usage or config-file problems.
install exits 1 also when the app's shape was not recognized (the snippet to paste is printed),
a dirty git tree was refused, or installing or writing failed; doctor exits 1 when a finding is
at or above the threshold.
`;

const MORE = 'Run parapet --help for every command and option.\n';

/**
 * What follows a usage error: the usage of the command in `argv` only (its synopsis and what it
 * does), or the list of commands when there is none, then where the rest is. Not the whole
 * `--help`: the error must stay the first thing the user reads.
 */
export function usageFor(argv: readonly string[]): string {
  const command = argv.find((a) => !a.startsWith('-'));
  if (!(COMMANDS as readonly string[]).includes(command ?? '')) return `${SYNOPSES}\n${MORE}`;
  const help = HELP[command as CommandName];
  const own = help.commands.map(([name, text]) => `  ${name.padEnd(Math.max(...help.commands.map(([n]) => n.length)) + 2)}${text}\n`).join('');
  return `Usage: ${help.synopsis}\n${own}\n${MORE}`;
}

/** The candidate a mistyped `word` most likely meant: the nearest by edit distance, if it is a typo away (a third of its length, at least 1). */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(word, [...candidates]);
  return distance(word, best) <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

/** `--a`, `--a and --b`, `--a, --b and --c`. */
const list = (names: readonly string[]) => {
  const flags = names.map((n) => `--${n}`);
  return flags.length <= 1 ? flags.join('') : `${flags.slice(0, -1).join(', ')} and ${flags.at(-1)}`;
};

function usageErrorFrom(error: unknown, argv: readonly string[]): UsageError {
  const { code, message } = error as { code?: string; message?: string };
  const flag = /'(-[^' ]+)/.exec(message ?? '')?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    // Name the options of the command given (the first word that is not an option), if any.
    const command = argv.find((a) => !a.startsWith('-'));
    const known = (COMMANDS as readonly string[]).includes(command ?? '');
    const takes = known ? `parapet ${command} takes ${list([...ACCEPTS[command as CommandName], 'help'])}` : 'Options are --config, --out, --runbook-url and --help';
    // `--dry-rn`: a near miss of an option this command takes (of any option when there is no command).
    const meant = flag.startsWith('--') ? suggest(flag.slice(2), known ? [...ACCEPTS[command as CommandName], 'help'] : Object.keys(OPTIONS)) : undefined;
    return new UsageError(`Unknown option ${flag}.${meant ? ` Did you mean --${meant}?` : ''} ${takes}.`, { details: { argv } });
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = (Object.keys(OPTIONS) as OptionName[]).find((n) => message?.includes(`--${n}`)) ?? 'config';
    return new UsageError(`--${name} needs a value, e.g. --${name} ${EXAMPLE_VALUE[name]}.`, { details: { argv } });
  }
  return new UsageError(message ?? String(error), { details: { argv } });
}

/** Parses `argv` (without node and the script). Throws UsageError for anything it cannot run. */
export function parseArgs(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgv({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageErrorFrom(error, argv);
  }
  const { values, positionals } = parsed;
  const [command, target, ...rest] = positionals;
  if (values.help || command === 'help') return { kind: 'help' };
  if (command === undefined) throw new UsageError('No command given.');
  if (!(COMMANDS as readonly string[]).includes(command)) {
    const meant = suggest(command, COMMANDS);
    throw new UsageError(`Unknown command "${positionals.join(' ')}".${meant ? ` Did you mean ${meant}?` : ''} Commands are install, gen, cost, import, mcp, migrate, archive and doctor.`);
  }
  const name = command as CommandName;
  const given = (Object.keys(values) as OptionName[]).filter((name) => values[name] !== undefined);
  const extra = given.find((option) => !ACCEPTS[name].includes(option));
  if (extra !== undefined) throw new UsageError(`parapet ${command} does not take --${extra}; it takes ${list(ACCEPTS[name])}.`);
  if (name === 'doctor') {
    if (target !== undefined) throw new UsageError(`Unexpected argument "${target}": parapet doctor takes no target.`);
    return { kind: 'doctor', ...doctorArgs(values, values.config ?? DEFAULT_CONFIG) };
  }
  if (name === 'install') {
    if (target !== undefined) throw new UsageError(`Unexpected argument "${target}": parapet install takes no target (run it in your app's folder).`);
    return { kind: 'install', ...installArgs(values) };
  }
  if (name === 'migrate' || name === 'archive') {
    if (target !== undefined) throw new UsageError(`Unexpected argument "${target}": parapet ${name} takes no target.`);
    if (name === 'archive') return { kind: 'archive', ...archiveArgs(values) };
    return { kind: 'migrate', ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}) };
  }
  if (command === 'mcp') {
    if (target !== undefined) throw new UsageError(`Unexpected argument "${target}": parapet mcp takes no target.`);
    return { kind: 'mcp', ...mcpArgs(values) };
  }
  if (command === 'import') {
    if (!IMPORT_FORMATS.includes(target as ImportFormat)) throw new UsageError(`parapet import needs a format: ${IMPORT_FORMATS.join(', ')}${target ? ` (got "${target}")` : ''}.`);
    const [file, ...more] = rest;
    if (file === undefined) throw new UsageError('parapet import openslo needs a file: parapet import openslo slos.yaml.');
    if (more.length > 0) throw new UsageError(`Unexpected argument "${more[0]}".`);
    const runbookUrl = values['runbook-url'];
    return { kind: 'import', format: target as ImportFormat, file, out: values.out ?? DEFAULT_IMPORT_OUT, ...(runbookUrl ? { runbookUrl } : {}) };
  }
  const config = values.config ?? DEFAULT_CONFIG;
  if (command === 'cost') {
    if (target !== undefined) throw new UsageError(`Unexpected argument "${target}": parapet cost takes no target.`);
    return { kind: 'cost', config };
  }
  if (!TARGETS.includes(target as Target)) {
    const meant = target ? suggest(target, TARGETS) : undefined;
    throw new UsageError(`parapet gen needs a target: ${TARGETS.join(', ')}${target ? ` (got "${target}")` : ''}.${meant ? ` Did you mean parapet gen ${meant}?` : ''}`);
  }
  if (rest.length > 0) throw new UsageError(`Unexpected argument "${rest[0]}".`);
  return { kind: 'gen', target: target as Target, config, out: values.out ?? defaultOut(target as Target) };
}
