import { describe, expect, it } from 'vitest';
import { USAGE, parseArgs } from './args.js';
import { CliError, UsageError } from './errors.js';
import { ParapetError } from '@parapet/core/integration';

describe('parseArgs', () => {
  it('parses gen targets with defaults and flags', () => {
    expect(parseArgs(['gen', 'prometheus'])).toEqual({ kind: 'gen', target: 'prometheus', config: 'parapet.config.ts', out: 'parapet/prometheus' });
    expect(parseArgs(['gen', 'grafana', '--config', 'ops/p.ts', '--out=build/g'])).toEqual({ kind: 'gen', target: 'grafana', config: 'ops/p.ts', out: 'build/g' });
    expect(parseArgs(['gen', 'alertmanager', '-c', 'p.mts', '-o', 'am'])).toEqual({ kind: 'gen', target: 'alertmanager', config: 'p.mts', out: 'am' });
    expect(parseArgs(['cost', '--config', 'x.ts'])).toEqual({ kind: 'cost', config: 'x.ts' });
  });

  it('recognises help in every spelling', () => {
    for (const argv of [['help'], ['--help'], ['-h'], ['gen', 'prometheus', '--help']]) expect(parseArgs(argv), argv.join(' ')).toEqual({ kind: 'help' });
  });

  it('says what is wrong with bad usage, as a USAGE ParapetError (exit 2)', () => {
    const cases: [string[], string | RegExp][] = [
      [[], 'No command given.'],
      [['gen', 'loki'], 'parapet gen needs a target: prometheus, alertmanager, grafana, openslo (got "loki").'],
      [['gen'], 'parapet gen needs a target: prometheus, alertmanager, grafana, openslo.'],
      [['gen', 'prometheus', '--config'], '--config needs a value, e.g. --config parapet.config.ts.'],
      [['gen', 'prometheus', '--out'], '--out needs a value, e.g. --out ops/prometheus.'],
      [['gen', 'prometheus', '--verbose'], 'Unknown option --verbose. parapet gen takes --config, --out and --help.'],
      [['gen', 'prometheus', '-x'], 'Unknown option -x. parapet gen takes --config, --out and --help.'],
      [['cost', '--out', 'x'], 'parapet cost does not take --out; it takes --config.'],
      [['cost', 'prometheus'], 'Unexpected argument "prometheus": parapet cost takes no target.'],
      [['gen', 'prometheus', 'extra'], 'Unexpected argument "extra".'],
      [['deploy'], 'Unknown command "deploy". Commands are install, gen, cost, import, mcp, migrate, archive and doctor.'],
      [['instal'], 'Unknown command "instal". Did you mean install? Commands are install, gen, cost, import, mcp, migrate, archive and doctor.'],
      [['gen', 'prometeus'], 'parapet gen needs a target: prometheus, alertmanager, grafana, openslo (got "prometeus"). Did you mean parapet gen prometheus?'],
      [['doctor', '--tresh', 'warn'], 'Unknown option --tresh. parapet doctor takes --config, --ci, --threshold, --json, --url, --metrics-token, --prometheus, --alertmanager, --database-url, --rules, --entry and --help.'],
      [['doctor', '--treshold', 'warn'], 'Unknown option --treshold. Did you mean --threshold? parapet doctor takes --config, --ci, --threshold, --json, --url, --metrics-token, --prometheus, --alertmanager, --database-url, --rules, --entry and --help.'],
      [['import', 'sloth', 'x.yaml'], 'parapet import needs a format: openslo (got "sloth").'],
      [['import', 'openslo'], 'parapet import openslo needs a file: parapet import openslo slos.yaml.'],
      [['import', 'openslo', 'a.yaml', '--config', 'x.ts'], 'parapet import does not take --config; it takes --out and --runbook-url.'],
    ];
    for (const [argv, message] of cases) {
      let caught: unknown;
      try {
        parseArgs(argv);
      } catch (error) {
        caught = error;
      }
      expect(caught, argv.join(' ')).toBeInstanceOf(UsageError);
      expect(caught).toBeInstanceOf(ParapetError);
      expect((caught as UsageError).message).toEqual(message);
      expect((caught as UsageError).code).toBe('USAGE');
      expect((caught as UsageError).exitCode).toBe(2);
    }
  });

  it('documents every option and the exit codes', () => {
    for (const text of ['--config', '--out', '--help', '.mts', '.cjs', 'Exit codes: 0 success, 1 invalid SLO specs, 2 usage or config-file problems.', 'doctor exits 1 when a finding is\nat or above the threshold', '--threshold warn|error', '--json', '--prometheus <url>']) expect(USAGE).toContain(text);
    for (const flag of ['--dry-run', '--force', '--from <dir>', '--webhook', '--operator-api', '--workbench', '--migrations']) expect(USAGE).toContain(flag);
  });
});

describe('CliError', () => {
  it('is a ParapetError whose exit code derives from its code', () => {
    const error = new CliError('Config file not found');
    expect(error).toBeInstanceOf(ParapetError);
    expect([error.code, error.exitCode, error.name]).toEqual(['CONFIG_LOAD', 2, 'CliError']);
    expect(new CliError('x', { code: 'INTERNAL' }).exitCode).toBe(1);
  });
});
