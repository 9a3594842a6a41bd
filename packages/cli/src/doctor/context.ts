/** Builds the context every check reads; expensive inputs (config, entry-file analysis) load once, on first use. */
import type { ParapetConfig } from '@parapet/core/slo';
import type { Io } from '../io.js';
import { analyzeProject, type SourceResult } from './source.js';
import { DOCS_PAGE, type DoctorContext, type DoctorOptions } from './types.js';

/** Live checks give up after this long per request: a doctor must answer, not hang. */
const FETCH_TIMEOUT_MS = 10_000;

export function doctorContext(options: DoctorOptions, io: Io, env: NodeJS.ProcessEnv, loadConfig: (path: string) => Promise<ParapetConfig>, docs: string = DOCS_PAGE): DoctorContext {
  let config: Promise<ParapetConfig> | undefined;
  let source: SourceResult | undefined;
  return {
    io,
    cwd: io.cwd,
    env,
    options,
    docs,
    config: () => (config ??= loadConfig(options.config)),
    source: () => (source ??= analyzeProject(io.cwd, options.entry)),
    fetch: (url, init = {}) => fetch(url, { ...init, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) }),
  };
}
