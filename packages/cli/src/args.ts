/** Command-line parsing for `parapet`. Small on purpose: three commands, two flags. */
export const TARGETS = ['prometheus', 'alertmanager', 'grafana'] as const;
export type Target = (typeof TARGETS)[number];

export type Command =
  | { readonly kind: 'gen'; readonly target: Target; readonly config: string; readonly out: string }
  | { readonly kind: 'cost'; readonly config: string }
  | { readonly kind: 'help' };

export const USAGE = `Usage:
  parapet gen prometheus|alertmanager|grafana [--config parapet.config.ts] [--out <dir>]
  parapet cost [--config parapet.config.ts]

  gen prometheus    recording_rules.yml, alerts.yml, rules.yml and tests/<slice>.{rules,test}.yml
  gen alertmanager  alertmanager.yml (needs \`alertmanager: { webhookUrl }\` in the config)
  gen grafana       dashboards/*.json and provisioning/{dashboards,datasources}/parapet.yml
  cost              raw sample window-minutes the rules read per hour, per slice

  --config  TypeScript or JavaScript file whose default export is defineConfig({ providers: [...] })
  --out     output folder (default: parapet/<target>)
`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseArgs(argv: readonly string[]): Command {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    if (arg.startsWith('--')) {
      const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
      if (key !== 'config' && key !== 'out') throw new UsageError(`Unknown option --${key}. Options are --config and --out.`);
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${key} needs a value, e.g. --${key} ${key === 'config' ? 'parapet.config.ts' : 'ops/prometheus'}.`);
      flags[key] = value;
    } else positional.push(arg);
  }
  const config = flags.config ?? 'parapet.config.ts';
  const [command, target, ...rest] = positional;
  if (command === undefined || command === 'help') return { kind: 'help' };
  if (command === 'cost' && target === undefined) return { kind: 'cost', config };
  if (command !== 'gen') throw new UsageError(`Unknown command "${[command, target, ...rest].filter(Boolean).join(' ')}".`);
  if (!TARGETS.includes(target as Target)) throw new UsageError(`parapet gen needs a target: ${TARGETS.join(', ')}${target ? ` (got "${target}")` : ''}.`);
  if (rest.length > 0) throw new UsageError(`Unexpected argument "${rest[0]}".`);
  return { kind: 'gen', target: target as Target, config, out: flags.out ?? `parapet/${target}` };
}
