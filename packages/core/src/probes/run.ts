import type { ProbeOutcome } from '../catalog/values.js';
import { channelOf } from '../events/channels.js';
import { publishProbeRun } from '../events/publish.js';
import { isProbe, ProbeDefinitionError, type Probe, type ProbeResult } from './define.js';

export interface ProbeRunResult {
  probe: string;
  outcome: ProbeOutcome;
  durationSeconds: number;
  /** Why it failed or timed out. Free text for logs and evidence; never a label. */
  reason?: string;
}

/** Reasons are for humans; keep them short so a probe cannot flood logs or events. */
export const MAX_REASON_LENGTH = 256;

type Verdict = { outcome: ProbeOutcome; reason?: string };

function shorten(text: string): string {
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 1)}…` : text;
}

function describe(error: unknown): string {
  try {
    if (error instanceof Error) return error.message || error.name;
    return String(error);
  } catch {
    return 'probe threw a value that cannot be described';
  }
}

function verdictOf(value: ProbeResult | unknown): Verdict {
  if (value === false) return { outcome: 'failure', reason: 'probe returned false' };
  if (typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false) {
    const reason = (value as { reason?: unknown }).reason;
    return { outcome: 'failure', reason: shorten(reason === undefined ? 'probe reported failure' : describe(reason)) };
  }
  return { outcome: 'success' };
}

const failure = (error: unknown): Verdict => ({ outcome: 'failure', reason: shorten(describe(error)) });

/**
 * Run a probe once under its timeout and publish the `probe.run` event. Resolves with the
 * outcome; never rejects for anything the probe does (throwing, rejecting, hanging). A probe
 * that ignores its abort signal is left running, but its run is over and counted at the timeout.
 */
export async function runProbe(probe: Probe): Promise<ProbeRunResult> {
  if (!isProbe(probe)) throw new ProbeDefinitionError('runProbe(): pass a probe created with defineProbe({ name, timeoutMs, run }).');
  const controller = new AbortController();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<Verdict>((resolve) => {
    timer = setTimeout(() => {
      resolve({ outcome: 'timeout', reason: `no result within ${probe.timeoutMs} ms` });
      controller.abort(new Error(`probe "${probe.name}" timed out after ${probe.timeoutMs} ms`));
    }, probe.timeoutMs);
  });
  let attempt: Promise<Verdict>;
  try {
    attempt = Promise.resolve(probe.run(controller.signal)).then(verdictOf, failure);
  } catch (error) {
    // A synchronous throw is a failed check, not a crash of the caller.
    attempt = Promise.resolve(failure(error));
  }
  const verdict = await Promise.race([attempt, timedOut]);
  clearTimeout(timer);
  const result: ProbeRunResult = { probe: probe.name, durationSeconds: (performance.now() - started) / 1000, ...verdict };
  if (channelOf('probe.run').hasSubscribers) publishProbeRun({ ...result });
  return result;
}
