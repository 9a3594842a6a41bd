import { isParapetError } from '@parapet/core/integration';
import { USAGE, parseArgs, usageFor } from './args.js';
import type { CommandContext } from './commands/context.js';
import { archive } from './commands/archive.js';
import { cost } from './commands/cost.js';
import { doctor } from './commands/doctor.js';
import { gen } from './commands/gen.js';
import { mcp } from './commands/mcp.js';
import { importCommand } from './commands/import.js';
import { install } from './commands/install.js';
import { migrate } from './commands/migrate.js';
import { processIo, type Io } from './io.js';
import { loadConfig, type LoadConfigOptions } from './load-config.js';

export interface MainOptions {
  /** How config files load (see `LoadConfigOptions.alias`). */
  readonly load?: LoadConfigOptions;
  /**
   * Absolute path of the troubleshooting guide the doctor's findings link to. The bin passes the
   * one next to it (node_modules/@parapet/cli/TROUBLESHOOTING.md; docs/troubleshooting.md in the
   * Parapet repository); without it the links name `docs/troubleshooting.md`.
   */
  readonly troubleshooting?: string;
}

/** Runs the CLI; resolves to the process exit code. Errors are printed, never thrown. */
export async function main(argv: readonly string[], io: Io = processIo, options: MainOptions = {}): Promise<number> {
  try {
    const command = parseArgs(argv);
    const context: CommandContext = {
      io,
      loadConfig: (path) => loadConfig(path, io.cwd, options.load),
      ...(options.troubleshooting ? { troubleshooting: options.troubleshooting } : {}),
    };
    switch (command.kind) {
      case 'help':
        io.stdout(USAGE);
        return 0;
      case 'install':
        return await install(command, context);
      case 'gen':
        return await gen(command, context);
      case 'cost':
        return await cost(command, context);
      case 'mcp':
        return await mcp(command, context);
      case 'import':
        return await importCommand(command, context);
      case 'migrate':
        return await migrate(command, context);
      case 'archive':
        return await archive(command, context);
      case 'doctor':
        return await doctor(command, context);
    }
  } catch (error) {
    return report(error, io, argv);
  }
}

/** Prints an error the way the user can act on it; returns the exit code its error code maps to. */
function report(error: unknown, io: Io, argv: readonly string[]): number {
  // A command-line mistake: the error, then that command's usage (a missing or wrong --from and
  // other values the command itself rejects are USAGE errors too).
  if (isParapetError(error) && error.code === 'USAGE') {
    io.stderr(`parapet: ${error.message}\n\n${usageFor(argv)}`);
    return error.exitCode;
  }
  // `SloSpecError` before it became a ParapetError (code SLO_SPEC) is matched by name.
  const sloSpec = error instanceof Error && (error.name === 'SloSpecError' || (isParapetError(error) && error.code === 'SLO_SPEC'));
  if (sloSpec) {
    io.stderr(`parapet: ${error.message}\nFix the slices above in your config or provider and run again.\n`);
    return isParapetError(error) ? error.exitCode : 1;
  }
  if (isParapetError(error)) {
    io.stderr(`parapet: ${error.message}\n`);
    return error.exitCode;
  }
  io.stderr(
    `parapet: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n` +
      'This is a bug in Parapet; please report it with the output above.\n',
  );
  return 1;
}
