import { isProbe, isTimerMs, MAX_TIMER_MS, ProbeDefinitionError, type Probe } from './define.js';
import { runProbe } from './run.js';

export interface ProbeSchedulerOptions {
  probes: readonly Probe[];
  /** Milliseconds between the starts of two runs of one probe. */
  intervalMs: number;
  /**
   * Spread as a fraction of the interval, 0..1 (default 0.1): each delay is intervalMs ± jitter,
   * and the first run starts within [0, jitter × intervalMs] so processes do not probe in lockstep.
   */
  jitter?: number;
}

export interface ProbeScheduler {
  /** Stop scheduling and resolve once in-flight runs have finished (each is bounded by its timeout). */
  stop(): Promise<void>;
}

interface Slot {
  probe: Probe;
  timer?: NodeJS.Timeout;
  inFlight?: Promise<void>;
}

function validate(options: ProbeSchedulerOptions): number {
  const fail = (what: string): never => {
    throw new ProbeDefinitionError(`startProbeScheduler(): ${what}`);
  };
  if (typeof options !== 'object' || options === null) fail('pass { probes, intervalMs, jitter }.');
  if (!Array.isArray(options.probes) || options.probes.length === 0) fail('probes must be a non-empty array of defineProbe() results.');
  const names = new Set<string>();
  options.probes.forEach((p, i) => {
    if (!isProbe(p)) fail(`probes[${i}] was not created with defineProbe().`);
    if (names.has(p.name)) fail(`probe "${p.name}" is listed twice; each probe runs once per interval.`);
    names.add(p.name);
  });
  if (!isTimerMs(options.intervalMs)) fail(`intervalMs must be a whole number of milliseconds between 1 and ${MAX_TIMER_MS}, got ${String(options.intervalMs)}.`);
  const jitter = options.jitter ?? 0.1;
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) fail(`jitter is a fraction of the interval between 0 and 1, got ${String(jitter)}.`);
  return jitter;
}

/**
 * Run each probe every `intervalMs` (± jitter) in this process. Each probe has its own loop:
 * the next run is scheduled only after the current one ends, so runs of one probe never
 * overlap, and a slow probe never delays another. Timers are unref'd: the scheduler alone
 * does not keep the process alive.
 */
export function startProbeScheduler(options: ProbeSchedulerOptions): ProbeScheduler {
  const jitter = validate(options);
  const { intervalMs } = options;
  const slots: Slot[] = options.probes.map((probe) => ({ probe }));
  let stopped = false;
  let stopping: Promise<void> | undefined;

  const arm = (slot: Slot, delayMs: number) => {
    slot.timer = setTimeout(() => tick(slot), Math.max(0, Math.round(delayMs)));
    slot.timer.unref();
  };

  const tick = (slot: Slot) => {
    slot.timer = undefined;
    if (stopped) return;
    const started = Date.now();
    // runProbe never rejects for probe behaviour; the catch only guards against the unforeseen.
    slot.inFlight = runProbe(slot.probe).then(
      () => undefined,
      () => undefined,
    ).then(() => {
      slot.inFlight = undefined;
      if (stopped) return;
      const spread = intervalMs * jitter * (2 * Math.random() - 1);
      arm(slot, intervalMs + spread - (Date.now() - started));
    });
  };

  for (const slot of slots) arm(slot, Math.random() * jitter * intervalMs);

  return {
    stop() {
      if (stopping) return stopping;
      stopped = true;
      for (const slot of slots) clearTimeout(slot.timer);
      stopping = Promise.all(slots.map((s) => s.inFlight)).then(() => undefined);
      return stopping;
    },
  };
}
