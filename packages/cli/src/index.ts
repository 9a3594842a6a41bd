// @parapet/cli — the `parapet` command, also callable in process.
export { main, type MainOptions } from './main.js';
export { type Io } from './io.js';
export { parseArgs, USAGE, DEFAULT_CONFIG, type Command } from './args.js';
export { TARGETS, defaultOut, type Target, type GenArgs } from './commands/gen.js';
export { type CostArgs } from './commands/cost.js';
export { loadConfig, CONFIG_EXTENSIONS, type LoadConfigOptions } from './load-config.js';
export { CliError, UsageError } from './errors.js';
