import { formatCostReport, resolveConfig, sloCostReport } from '@parapet/core/slo';
import type { CommandContext } from './context.js';

export interface CostArgs {
  readonly config: string;
}

/** Its lines in `parapet help`. */
export const costHelp = {
  synopsis: 'parapet cost [--config <file>]',
  commands: [['cost', 'raw sample window-minutes the rules read per hour, per slice (writes nothing)']],
} as const;

/** `parapet cost`: what the generated rules cost Prometheus, per slice. Writes nothing. */
export async function cost(args: CostArgs, { io, loadConfig }: CommandContext): Promise<number> {
  const { slices, windows } = resolveConfig(await loadConfig(args.config));
  io.stdout(formatCostReport(sloCostReport(slices, windows)));
  io.stdout('Raw window-minutes: minutes of raw series each range selector reads, times evaluations per hour (rules run every 1m).\n');
  return 0;
}
