// Synthetic probes: a probe interface, a one-shot runner that publishes `probe.run`, and a native
// in-process scheduler. Re-exported from the package root. Guide: docs/probes.md.
export {
  defineProbe, isProbe, validProbeName, ProbeDefinitionError, PROBE_NAME_PATTERN, MAX_PROBE_NAME_LENGTH,
  DEFAULT_PROBE_TIMEOUT_MS, type Probe, type ProbeOptions, type ProbeResult,
} from './define.js';
export { runProbe, MAX_REASON_LENGTH, type ProbeRunResult } from './run.js';
export { startProbeScheduler, type ProbeScheduler, type ProbeSchedulerOptions } from './scheduler.js';
