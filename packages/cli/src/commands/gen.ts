import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import {
  generateAlertmanagerConfig, generateGrafanaFiles, generateOpenSlo, generatePrometheusFiles, generatePromtoolTestsLenient, resolveConfig,
  type ParapetConfig,
} from '@parapet/core/slo';
import { CliError } from '../errors.js';
import { GENERATED_DIR } from '../install/features.js';
import type { Io } from '../io.js';
import { plural } from '../plural.js';
import type { CommandContext } from './context.js';

/** What `parapet gen` can write. */
export const TARGETS = ['prometheus', 'alertmanager', 'grafana', 'openslo'] as const;
export type Target = (typeof TARGETS)[number];

export interface GenArgs {
  readonly target: Target;
  readonly config: string;
  readonly out: string;
}

/** Output folder when `--out` is not given, relative to the working folder. */
export const defaultOut = (target: Target): string => `${GENERATED_DIR}/${target}`;

/** Its lines in `parapet help`. */
export const genHelp = {
  synopsis: 'parapet gen prometheus|alertmanager|grafana|openslo [--config <file>] [--out <dir>]',
  commands: [
    ['gen prometheus', 'recording_rules.yml, alerts.yml, rules.yml and tests/<slice>.{rules,test}.yml'],
    ['gen alertmanager', 'alertmanager.yml (needs `alertmanager: { webhookUrl, bearerTokenFile }` in the config)'],
    ['gen grafana', 'dashboards/*.json and provisioning/{dashboards,datasources}/parapet.yml'],
    ['gen openslo', 'slos.yaml: every slice as an OpenSLO v1 SLO (docs/openslo.md)'],
  ],
} as const;

/** What `parapet gen <target>` writes for `config`, by relative path (also what the doctor compares the disk with). */
export function filesFor(target: Target, config: ParapetConfig, io: Io): Record<string, string> {
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
        throw new CliError(
          'parapet gen alertmanager needs `alertmanager: { webhookUrl: "https://your-app/parapet/alertmanager", bearerTokenFile: "/etc/alertmanager/secrets/parapet-webhook-token" }` in the config (optionally pageReceiver, ticketReceiver; see docs/alertmanager-receivers.md).',
        );
      }
      return { 'alertmanager.yml': generateAlertmanagerConfig(slices, config.alertmanager) };
    case 'grafana':
      return generateGrafanaFiles(slices, config.grafana, windows);
    case 'openslo':
      return { 'slos.yaml': generateOpenSlo(slices, { windows }) };
  }
}

/** `parapet gen <target>`: validates every slice, then writes the target's files (nothing on error). */
export async function gen(args: GenArgs, { io, loadConfig }: CommandContext): Promise<number> {
  const config = await loadConfig(args.config);
  const files = filesFor(args.target, config, io);
  const out = resolve(io.cwd, args.out);
  for (const [name, text] of Object.entries(files)) {
    const path = join(out, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  const names = Object.keys(files);
  io.stdout(`parapet gen ${args.target}: wrote ${plural(names.length, 'file')} to ${relative(io.cwd, out) || '.'}\n${names.map((f) => `  ${f}\n`).join('')}`);
  return 0;
}
