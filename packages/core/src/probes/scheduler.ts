import * as z from 'zod';
import { describeValue, parseOptions } from '../internal/options.js';
import { closeable, type Closeable } from '../lifecycle.js';
import { isProbe, isTimerMs, MAX_TIMER_MS, type Probe } from './define.js';
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

export interface ProbeScheduler extends Closeable {
  /** Stop scheduling and resolve once in-flight runs have finished (each is bounded by its timeout). Idempotent. */
  close(): Promise<void>;
  /** @deprecated Use `close()`. Removed in the next minor. */
  stop(): Promise<void>;
}

interface Slot {
  probe: Probe;
  timer?: NodeJS.Timeout;
  inFlight?: Promise<void>;
}

const WHERE = 'startProbeScheduler()';
const schedulerSchema = z
  .strictObject({
    probes: z
      .array(z.custom<Probe>(isProbe, { error: (issue) => `was not created with defineProbe() (got ${describeValue(issue.input)})` }))
      .min(1, { error: 'must be a non-empty array of defineProbe() results' }),
    intervalMs: z.custom<number>(isTimerMs, {
      error: (issue) => `must be a whole number of milliseconds between 1 and ${MAX_TIMER_MS}, got ${describeValue(issue.input)}`,
    }),
    jitter: z
      .custom<number>((v) => typeof v === 'number' && v >= 0 && v <= 1, {
        error: (issue) => `is a fraction of the interval between 0 and 1, got ${describeValue(issue.input)}`,
      })
      .optional(),
  })
  .superRefine((options, ctx) => {
    const names = new Set<string>();
    for (const probe of options.probes) {
      if (names.has(probe.name)) ctx.addIssue({ code: 'custom', path: ['probes'], message: `probe "${probe.name}" is listed twice; each probe runs once per interval` });
      names.add(probe.name);
    }
  });

/**
 * Run each probe every `intervalMs` (± jitter) in this process. Each probe has its own loop:
 * the next run is scheduled only after the current one ends, so runs of one probe never
 * overlap, and a slow probe never delays another. Timers are unref'd: the scheduler alone
 * does not keep the process alive.
 */
export function startProbeScheduler(options: ProbeSchedulerOptions): ProbeScheduler {
  const parsed = parseOptions(schedulerSchema, options, WHERE);
  const jitter = parsed.jitter ?? 0.1;
  const { intervalMs } = parsed;
  const slots: Slot[] = parsed.probes.map((probe) => ({ probe }));
  let stopped = false;

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

  const scheduler = closeable({}, async () => {
    stopped = true;
    for (const slot of slots) clearTimeout(slot.timer);
    await Promise.all(slots.map((s) => s.inFlight));
  });
  return Object.assign(scheduler, { stop: scheduler.close });
}
