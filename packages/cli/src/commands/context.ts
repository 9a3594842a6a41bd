import type { ParapetConfig } from '@parapet/core/slo';
import type { Io } from '../io.js';

/** What every command gets: the streams and a config loader bound to the working folder. */
export interface CommandContext {
  readonly io: Io;
  readonly loadConfig: (path: string) => Promise<ParapetConfig>;
  /** Absolute path of the troubleshooting guide (see `MainOptions.troubleshooting`). */
  readonly troubleshooting?: string;
}
