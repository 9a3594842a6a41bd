import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { ParapetConfig } from '@parapet/core';
import { SloSpecError, formatCostReport, generateAlertmanagerConfig, generateGrafanaFiles, generatePrometheusFiles, generatePromtoolTestsLenient, resolveConfig, sloCostReport } from '@parapet/core/slo';
import { USAGE, UsageError, parseArgs, type Target } from './args.js';
import { CliError, loadConfig } from './load-config.js';

export interface Io {
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const defaultIo: Io = { cwd: process.cwd(), stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

function filesFor(target: Target, config: ParapetConfig, io: Io): Record<string, string> {
  const { slices, windows } = resolveConfig(config);
  switch (target) {
    case 'prometheus': {
      const { files, skipped } = generatePromtoolTestsLenient(slices, windows);
      for (const s of skipped) io.stderr(`parapet: warning: no unit test for slice "${s.slice}": ${s.reason}\n`);
      const tests = Object.fromEntries(Object.entries(files).map(([name, text]) => [`tests/${name}`, text]));
      return { ...generatePrometheusFiles(slices, windows), ...tests };
    }
    case 'alertmanager':
      if (!config.alertmanager) {
        throw new CliError('parapet gen alertmanager needs `alertmanager: { webhookUrl: "https://your-app/parapet/alertmanager" }` in the config (optionally bearerTokenFile, pageReceiver, ticketReceiver).', 2);
      }
      return { 'alertmanager.yml': generateAlertmanagerConfig(config.alertmanager) };
    case 'grafana':
      return generateGrafanaFiles(slices, config.grafana, windows);
  }
}

/** Runs the CLI; resolves to the process exit code. Errors are printed, never thrown. */
export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  try {
    const command = parseArgs(argv);
    if (command.kind === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    const config = await loadConfig(command.config, io.cwd);
    if (command.kind === 'cost') {
      const { slices, windows } = resolveConfig(config);
      io.stdout(formatCostReport(sloCostReport(slices, windows)));
      io.stdout('Raw window-minutes: minutes of raw series each range selector reads, times evaluations per hour (rules run every 1m).\n');
      return 0;
    }
    const files = filesFor(command.target, config, io);
    const out = resolve(io.cwd, command.out);
    for (const [name, text] of Object.entries(files)) {
      const path = join(out, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
    io.stdout(`parapet gen ${command.target}: wrote ${Object.keys(files).length} files to ${relative(io.cwd, out) || '.'}\n${Object.keys(files).map((f) => `  ${f}\n`).join('')}`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`parapet: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof SloSpecError) {
      io.stderr(`parapet: ${error.message}\nFix the slices above in your config or provider and run again.\n`);
      return 1;
    }
    if (error instanceof CliError) {
      io.stderr(`parapet: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`parapet: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
