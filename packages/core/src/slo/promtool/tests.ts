import { errorBudget } from '../model/decimal.js';
import { durationMinutes } from '../model/duration.js';
import { goFixed } from './go-format.js';
import { alertGroupName, alertName, recordingGroupName } from '../conventions.js';
import { alertGroup, burnAlert, noDataAlert, recordingGroup, sliceLabels } from '../prometheus/rules.js';
import { simulate, type Simulation, type Traffic } from './simulate.js';
import { inputSeries } from './input-series.js';
import type { WindowProfile } from '../model/spec.js';
import type { ResolvedSlice } from '../model/spec.js';
import { workbookWindows } from '../model/windows.js';
import { generatedHeader, toYaml } from '../internal/yaml.js';

/**
 * Generates one promtool unit-test file per slice. Expected firing minutes come from the
 * independent model in simulate.ts, so a wrong rule (window, threshold, guard, ratio) fails.
 */
type Kind = 'page' | 'ticket' | 'nodata';
/**
 * Tests evaluate every 5m: the rules' windows are 5m tiles, so results match a 1m production
 * cadence at those instants, and a 3-day scenario stays a few seconds long.
 */
const STEP = 5;
const ceilStep = (t: number) => Math.ceil(t / STEP) * STEP;
interface Check { readonly at: number; readonly kinds: readonly Kind[] }
interface Scenario { readonly name: string; readonly traffic: Traffic; readonly checks: readonly Check[] }

const perMinute = (length: number, f: (m: number) => number) => Array.from({ length }, (_, m) => (m === 0 ? 0 : f(m)));

/** Smallest traffic (per minute) at which `fraction` of it is a whole number of events. */
function rateFor(fraction: number): number {
  for (let r = 100; r <= 1e8; r *= 10) if (Math.abs(Math.round(fraction * r) - fraction * r) < 1e-9) return r;
  return 1e8;
}

/** Steady traffic at `burn` times the budget after `from`, `before` times it until then. */
interface BurnTrafficArgs {
  readonly slice: ResolvedSlice;
  /** Minutes of traffic. */
  readonly length: number;
  /** Minute the burn starts. */
  readonly from: number;
  /** Burn rate from `from` on, and before it. */
  readonly burn: number;
  readonly before?: number;
}

function burnTraffic({ slice, length, from, burn, before = 0 }: BurnTrafficArgs): Traffic {
  const budget = Number(errorBudget(slice.objective));
  const f = (b: number) => Math.min(1, b * budget);
  if (slice.sli.kind === 'freshness') {
    // Spread stale minutes evenly so every window sees the same share.
    const stale = (m: number, share: number) => Math.floor((m + 1) * share) > Math.floor(m * share);
    return { length, staleMinute: Array.from({ length }, (_, m) => (m < from ? stale(m, f(before)) : stale(m - from, f(burn)))) };
  }
  const r = Math.max(rateFor(f(burn)), rateFor(f(before)));
  return {
    length,
    total: perMinute(length, () => r),
    bad: perMinute(length, (m) => Math.round(r * (m < from ? f(before) : f(burn)))),
  };
}

function lowTraffic(length: number, failing: (m: number) => boolean, slice: ResolvedSlice): Traffic {
  if (slice.sli.kind === 'freshness') return { length, staleMinute: Array.from({ length }, (_, m) => failing(m)) };
  return { length, total: perMinute(length, () => 1), bad: perMinute(length, (m) => (failing(m) ? 1 : 0)) };
}

function firstFiring(sim: Simulation, kind: Kind, { from, until }: { from: number; until: number }): number {
  for (let t = ceilStep(from); t <= until; t += STEP) if (state(sim, kind, t).firing) return t;
  throw new Error(`generated test: expected ${kind} to fire between minute ${from} and ${until}; the scenario is too weak for this profile`);
}

function state(sim: Simulation, kind: Kind, t: number): { firing: boolean; value?: number } {
  if (kind === 'nodata') return { firing: sim.noData(t) };
  return sim[kind](t);
}

function scenarios(slice: ResolvedSlice, profile: WindowProfile): Scenario[] {
  const kinds: Kind[] = slice.alert === 'page' ? ['page', 'ticket', 'nodata'] : ['ticket', 'nodata'];
  const pairs = slice.alert === 'page' ? [...profile.page, ...profile.ticket] : [...profile.ticket];
  const longest = Math.max(...pairs.map((p) => durationMinutes(p.long)));
  // Enough history for the page windows; ticket windows longer than it are covered by `longest`.
  const history = Math.max(...profile.page.map((p) => durationMinutes(p.long)));
  const minTicket = Math.min(...profile.ticket.map((p) => p.burnRate));
  const maxPage = Math.max(...profile.page.map((p) => p.burnRate));
  const minPage = Math.min(...profile.page.map((p) => p.burnRate));
  const out: Scenario[] = [];
  const sim = (traffic: Traffic, until: number) => simulate({ slice, windows: profile, traffic, until, step: STEP });

  const healthyEnd = longest + 60;
  out.push({ name: 'healthy traffic at half the sustainable burn rate, with history longer than the longest window, stays silent', traffic: burnTraffic({ slice, length: healthyEnd + 1, from: 0, burn: 0.5, before: 0.5 }), checks: [{ at: healthyEnd, kinds }] });

  if (slice.alert === 'page') {
    const fast = burnTraffic({ slice, length: history + 2 * history, from: history + 1, burn: 2 * maxPage });
    const t = firstFiring(sim(fast, fast.length - 1), 'page', { from: history + 1, until: fast.length - 1 });
    out.push({ name: `fast burn (${2 * maxPage}x) pages at minute ${t - history} of the burn`, traffic: { ...fast, ...trim(fast, t + 1) }, checks: [{ at: t - STEP, kinds: ['page'] }, { at: t, kinds: ['page'] }] });
  }
  const slow = slice.alert === 'page' ? (minTicket + minPage) / 2 : 2 * minTicket;
  const slowTraffic = burnTraffic({ slice, length: history + longest + 120, from: history + 1, burn: slow });
  const slowSim = sim(slowTraffic, slowTraffic.length - 1);
  const tt = firstFiring(slowSim, 'ticket', { from: history + 1, until: slowTraffic.length - 1 });
  for (let t = 0; t <= tt; t += STEP) if (slowSim.page(t).firing) throw new Error(`generated test: slow burn ${slow}x would page at minute ${t}; check the window profile`);
  out.push({ name: `slow burn (${slow}x) opens a ticket at minute ${tt - history} of the burn and never pages`, traffic: { ...slowTraffic, ...trim(slowTraffic, tt + 1) }, checks: [{ at: tt - STEP, kinds: ['ticket'] }, { at: tt, kinds: slice.alert === 'page' ? ['ticket', 'page'] : ['ticket'] }] });

  const fail = history + 1;
  const quiet = lowTraffic(ceilStep(fail + 120) + 1, (m) => m === fail, slice);
  const one = slice.sli.kind === 'freshness' ? 'one stale minute' : 'one failure at 1 event per minute';
  out.push({ name: `${one} stays silent (minimum-evidence guard)`, traffic: quiet, checks: [0, 30, 120].map((d) => ({ at: ceilStep(fail + d), kinds: kinds.filter((k) => k !== 'nodata') })) });

  if (slice.alert === 'page') {
    const outage = lowTraffic(2 * history + 61, (m) => m > history, slice);
    const t = firstFiring(sim(outage, outage.length - 1), 'page', { from: history + 1, until: outage.length - 1 });
    const what = slice.sli.kind === 'freshness' ? 'stale from then on' : 'full outage at 1 event per minute';
    out.push({ name: `${what}: pages at minute ${t - history}`, traffic: { ...outage, ...trim(outage, t + 1) }, checks: [{ at: t - STEP, kinds: ['page'] }, { at: t, kinds: ['page'] }] });
  }

  const gone = { ...burnTraffic({ slice, length: 61, from: 0, burn: 0 }), stale: true };
  const tn = firstFiring(sim(gone, 120), 'nodata', { from: 61, until: 120 });
  out.push({ name: `total series gone: NoData fires ${tn - 61}m after the last sample`, traffic: gone, checks: [{ at: tn - STEP, kinds: ['nodata'] }, { at: tn, kinds }] });
  return out;
}

/** Shortens a traffic pattern to the minutes a scenario needs (promtool evaluates all of them). */
function trim(traffic: Traffic, length: number): Partial<Traffic> {
  return {
    length,
    ...(traffic.total ? { total: traffic.total.slice(0, length), bad: traffic.bad!.slice(0, length) } : {}),
    ...(traffic.staleMinute ? { staleMinute: traffic.staleMinute.slice(0, length) } : {}),
  };
}

function render(template: string, { labels, value, budgetConsumed }: { labels: Record<string, string>; value: number; budgetConsumed: number | undefined }): string {
  return template
    .replace(/\{\{ \$value \| printf "%\.1f" \}\}/g, goFixed(value, 1))
    .replace(/\{\{ \$labels\.([a-zA-Z_][a-zA-Z0-9_]*) \}\}/g, (_, l: string) => labels[l] ?? '')
    .replace(/\{\{ with printf .*\{\{ end \}\}$/, budgetConsumed === undefined ? 'unknown' : `${goFixed(100 * budgetConsumed, 1)}%`);
}

interface ExpectedAlertsArgs {
  readonly slice: ResolvedSlice;
  readonly profile: WindowProfile;
  readonly kind: Kind;
  readonly sim: Simulation;
  /** Evaluation minute. */
  readonly t: number;
  readonly groupLabels: Record<string, string>;
}

function expectedAlerts({ slice, profile, kind, sim, t, groupLabels }: ExpectedAlertsArgs) {
  const s = state(sim, kind, t);
  if (!s.firing) return [];
  const rule = kind === 'nodata' ? noDataAlert(slice) : burnAlert(slice, kind, profile[kind]);
  // absent() knows only the slo label; burn alerts keep the grouping labels of their series.
  const labels = kind === 'nodata' ? { ...rule.labels } : { ...groupLabels, ...sliceLabels(slice), ...rule.labels };
  const annotations = Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, render(v, { labels, value: s.value ?? 0, budgetConsumed: sim.budgetConsumed(t) })]));
  return [{ exp_labels: sortKeys(labels), exp_annotations: annotations }];
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]!]));
}

function minutes(t: number): string {
  return t % 60 === 0 ? `${t / 60}h` : t > 60 ? `${Math.floor(t / 60)}h${t % 60}m` : `${t}m`;
}

/** The unit-test file for one slice; `ruleFile` is relative to where the test file is written. */
export function generatePromtoolTest(slice: ResolvedSlice, profile: WindowProfile = workbookWindows, ruleFile = `${slice.name}.rules.yml`): string | undefined {
  if (slice.alert === 'none') return undefined;
  const tests = scenarios(slice, profile).map((sc) => {
    const sim = simulate({ slice, windows: profile, traffic: sc.traffic, until: sc.traffic.length + 120, step: STEP });
    const { series, groupLabels } = inputSeries(slice, sc.traffic);
    return {
      name: `${slice.name}: ${sc.name}`,
      interval: '1m',
      input_series: series,
      alert_rule_test: sc.checks.flatMap((c) =>
        c.kinds.map((k) => ({
          eval_time: minutes(c.at),
          alertname: alertName(slice, k),
          exp_alerts: expectedAlerts({ slice, profile, kind: k, sim, t: c.at, groupLabels }),
        })),
      ),
    };
  });
  return generatedHeader('parapet gen prometheus') + toYaml({
    rule_files: [ruleFile],
    evaluation_interval: `${STEP}m`,
    // Recordings before alerts, so an alert sees the recordings of the same instant.
    group_eval_order: [recordingGroupName(slice), alertGroupName(slice)],
    tests,
  });
}

/**
 * Like generatePromtoolTests, but a slice whose scenarios cannot be built (an unusual window
 * profile, a matcher no example value satisfies) is reported instead of failing the whole run.
 */
export function generatePromtoolTestsLenient(slices: readonly ResolvedSlice[], profile: WindowProfile = workbookWindows): { files: Record<string, string>; skipped: { slice: string; reason: string }[] } {
  const files: Record<string, string> = {};
  const skipped: { slice: string; reason: string }[] = [];
  for (const slice of slices) {
    try {
      Object.assign(files, generatePromtoolTests([slice], profile));
    } catch (error) {
      skipped.push({ slice: slice.name, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { files, skipped };
}

/**
 * Files for a `tests/` folder: per slice, `<slice>.rules.yml` (that slice's groups, rendered
 * exactly as in rules.yml, so a test evaluates only its own rules) and `<slice>.test.yml`.
 */
export function generatePromtoolTests(slices: readonly ResolvedSlice[], profile: WindowProfile = workbookWindows): Record<string, string> {
  const files: Record<string, string> = {};
  for (const slice of slices) {
    const text = generatePromtoolTest(slice, profile, `${slice.name}.rules.yml`);
    if (text === undefined) continue;
    const groups = [recordingGroup(slice, profile), alertGroup(slice, profile)!];
    files[`${slice.name}.rules.yml`] = generatedHeader('parapet gen prometheus') + toYaml({ groups });
    files[`${slice.name}.test.yml`] = text;
  }
  return files;
}
