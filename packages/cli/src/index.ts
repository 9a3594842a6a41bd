export { main, type Io } from './main.js';
export { parseArgs, USAGE, TARGETS, UsageError, type Command, type Target } from './args.js';
export { loadConfig, CliError } from './load-config.js';
