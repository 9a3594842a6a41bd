import { ParapetError, type ErrorCode, type ParapetErrorOptions } from '@parapet/core/integration';

/**
 * A failure the user can fix from the command line (a config file that is missing or does not
 * load, a config without a section a command needs). The exit code derives from `code`:
 * `CONFIG_LOAD` exits 2, like every usage or config-file problem.
 */
export class CliError extends ParapetError {
  override name = 'CliError';
  constructor(message: string, options: ParapetErrorOptions & { code?: ErrorCode } = {}) {
    super(options.code ?? 'CONFIG_LOAD', message, options);
  }
}

/** The command line itself is wrong (unknown command, flag or target): code `USAGE`, exit 2. */
export class UsageError extends ParapetError {
  override name = 'UsageError';
  constructor(message: string, options: ParapetErrorOptions = {}) {
    super('USAGE', message, options);
  }
}
