import { describe, expect, it } from 'vitest';
import { UsageError, parseArgs } from './args.js';

describe('parseArgs', () => {
  it('parses gen targets with defaults and flags', () => {
    expect(parseArgs(['gen', 'prometheus'])).toEqual({ kind: 'gen', target: 'prometheus', config: 'parapet.config.ts', out: 'parapet/prometheus' });
    expect(parseArgs(['gen', 'grafana', '--config', 'ops/p.ts', '--out=build/g'])).toEqual({ kind: 'gen', target: 'grafana', config: 'ops/p.ts', out: 'build/g' });
    expect(parseArgs(['cost', '--config', 'x.ts'])).toEqual({ kind: 'cost', config: 'x.ts' });
    expect(parseArgs([])).toEqual({ kind: 'help' });
  });

  it('says what is wrong with bad usage', () => {
    expect(() => parseArgs(['gen', 'loki'])).toThrow(new UsageError('parapet gen needs a target: prometheus, alertmanager, grafana (got "loki").'));
    expect(() => parseArgs(['gen', 'prometheus', '--config'])).toThrow(/--config needs a value/);
    expect(() => parseArgs(['gen', 'prometheus', '--verbose'])).toThrow(/Unknown option --verbose/);
    expect(() => parseArgs(['deploy'])).toThrow(/Unknown command "deploy"/);
  });
});
