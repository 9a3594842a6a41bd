/**
 * Test harness (test-only). Same math, proven: identical input series go to promtool (running the generated rules) and to
 * the in-process monitor; at every evaluation where the monitor's decision is stable for one
 * interval either side, promtool must report exactly the monitor's alerts (names and label
 * sets). So every transition happens at the same minute within one evaluation interval.
 */
import { alertGroupName, alertName, recordingGroupName } from '../src/slo/conventions.js';
import { errorBudget } from '../src/slo/model/decimal.js';
import type { ResolvedSlice, WindowProfile } from '../src/slo/model/spec.js';
import { alertGroup, recordingGroup } from '../src/slo/prometheus/rules.js';
import { expandingNotation } from '../src/slo/promtool/example-series.js';
import { inputSeries } from '../src/slo/promtool/input-series.js';
import type { Traffic } from '../src/slo/promtool/simulate.js';
import { generatedHeader, toYaml } from '../src/slo/internal/yaml.js';
import { fixtureSlices, tempDir, tool, writeFiles } from './slo-fixtures.js';
import { SloEvaluator } from '../src/slo/monitor/evaluator.js';
import type { MetricSample } from '../src/slo/monitor/series.js';

const STEP = 5;

/** Parses promtool's expanding notation back into per-minute values (stops at `stale`). */
export function parseNotation(text: string): number[] {
  const out: number[] = [];
  for (const token of text.split(' ')) {
    if (token === 'stale') break;
    const m = /^(-?[0-9.e]+)(?:([+-])([0-9.e]+))?x([0-9]+)$/.exec(token);
    if (!m) {
      out.push(Number(token));
      continue;
    }
    const start = Number(m[1]);
    const step = m[2] ? (m[2] === '+' ? 1 : -1) * Number(m[3]) : 0;
    for (let i = 0; i <= Number(m[4]); i++) out.push(start + i * step);
  }
  return out;
}

function parseSeries(text: string): { name: string; labels: Record<string, string> } {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\}$/.exec(text)!;
  const labels: Record<string, string> = {};
  for (const pair of m[2]!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!.replace(/\\(.)/g, '$1');
  return { name: m[1]!, labels };
}

export interface Series { text: string; name: string; labels: Record<string, string>; values: number[]; stale: boolean }

/** The promtool input series for a traffic pattern, optionally with every counter reset to 0 at `resetAt`. */
export function seriesFor(slice: ResolvedSlice, traffic: Traffic, resetAt?: number): Series[] {
  return inputSeries(slice, traffic).series.map((s) => {
    let values = parseNotation(s.values);
    if (resetAt !== undefined && slice.sli.kind !== 'freshness') {
      const base = values[resetAt - 1] ?? 0;
      values = values.map((v, i) => (i >= resetAt ? v - base : v));
    }
    return { text: s.series, ...parseSeries(s.series), values, stale: traffic.stale === true };
  });
}

export interface Scenario { name: string; series: Series[]; until: number }

/** What the monitor decides at every STEP, fed the same series minute by minute. */
export function monitorDecisions(slice: ResolvedSlice, profile: WindowProfile, sc: Scenario): Map<number, string[]> {
  const evaluator = new SloEvaluator([slice], profile);
  const out = new Map<number, string[]>();
  for (let t = 0; t <= sc.until; t++) {
    const samples: MetricSample[] = [];
    for (const s of sc.series) if (t < s.values.length) samples.push({ name: s.name, labels: s.labels, value: s.values[t]! });
    evaluator.observe(t, samples);
    const active = evaluator.evaluate(t);
    if (t % STEP === 0) out.set(t, active.map((a) => JSON.stringify(a.labels)).sort());
  }
  return out;
}

/** Rules with annotations stripped: decisions (alert names and label sets) are what is compared. */
function ruleFile(slice: ResolvedSlice, profile: WindowProfile): string {
  const alerts = alertGroup(slice, profile)!;
  return generatedHeader('parapet gen prometheus') + toYaml({
    groups: [recordingGroup(slice, profile), { ...alerts, rules: alerts.rules.map((r) => ({ ...r, annotations: {} })) }],
  });
}

export function promtoolTest(slice: ResolvedSlice, scenarios: Scenario[], decide: (sc: Scenario) => Map<number, string[]>, profile: WindowProfile) {
  const kinds = slice.alert === 'page' ? (['page', 'ticket', 'nodata'] as const) : (['ticket', 'nodata'] as const);
  let checks = 0;
  const tests = scenarios.map((sc) => {
    const decisions = decide(sc);
    const alertRuleTests = [];
    for (const [t, active] of decisions) {
      const stable = [t - STEP, t + STEP].every((u) => !decisions.has(u) || JSON.stringify(decisions.get(u)) === JSON.stringify(active));
      if (!stable || t === 0) continue;
      for (const kind of kinds) {
        const name = alertName(slice, kind);
        const expected = active.map((a) => JSON.parse(a) as Record<string, string>).filter((l) => l.alertname === name);
        checks++;
        alertRuleTests.push({
          eval_time: `${t}m`,
          alertname: name,
          exp_alerts: expected.map((labels) => ({ exp_labels: Object.fromEntries(Object.entries(labels).filter(([k]) => k !== 'alertname')) })),
        });
      }
    }
    return {
      name: `${slice.name}: ${sc.name}`,
      interval: '1m',
      input_series: sc.series.map((s) => ({ series: s.text, values: expandingNotation(s.values, s.stale ? s.values.length : undefined) })),
      alert_rule_test: alertRuleTests,
    };
  });
  const file = toYaml({
    rule_files: [`${slice.name}.rules.yml`],
    evaluation_interval: `${STEP}m`,
    group_eval_order: [recordingGroupName(slice), alertGroupName(slice)],
    tests,
  });
  return { files: { [`${slice.name}.rules.yml`]: ruleFile(slice, profile), [`${slice.name}.test.yml`]: file }, checks };
}

/** Deterministic PRNG (mulberry32) so a failing seed can be replayed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const perMinute = (length: number, f: (m: number) => number) => Array.from({ length }, (_, m) => (m === 0 ? 0 : f(m)));

function traffic(slice: ResolvedSlice, length: number, rate: (m: number) => number, badShare: (m: number) => number, stale = false): Traffic {
  if (slice.sli.kind === 'freshness') {
    return { length, stale, staleMinute: Array.from({ length }, (_, m) => Math.floor((m + 1) * badShare(m)) > Math.floor(m * badShare(m))) };
  }
  const total = perMinute(length, rate);
  return { length, stale, total, bad: total.map((t, m) => Math.min(t, Math.round(t * badShare(m)))) };
}

export function scenarios(slice: ResolvedSlice, profile: WindowProfile, seed: number, randomized: number): Scenario[] {
  const budget = Number(errorBudget(slice.objective));
  const longest = Math.max(...[...profile.page, ...profile.ticket].map((p) => parse(p.long)));
  const pageLong = Math.max(...profile.page.map((p) => parse(p.long)));
  const share = (burn: number) => Math.min(1, burn * budget);
  const out: Scenario[] = [];
  const add = (name: string, t: Traffic, resetAt?: number, extra = 0) => out.push({ name, series: seriesFor(slice, t, resetAt), until: t.length - 1 + extra });
  add('healthy at half the sustainable burn', traffic(slice, longest + 61, () => 1000, () => share(0.5)));
  add('fast burn (28.8x) after history', traffic(slice, pageLong * 2, () => 1000, (m) => (m > pageLong ? share(28.8) : 0)));
  add('slow burn (2x) for a long window', traffic(slice, longest + 120, () => 1000, (m) => (m > pageLong ? share(2) : 0)));
  add('low traffic: one failure at 1/min', traffic(slice, pageLong + 180, () => 1, (m) => (m === pageLong + 1 ? 1 : 0)));
  add('outage at 1 event per minute', traffic(slice, pageLong * 2, () => 1, (m) => (m > pageLong ? 1 : 0)));
  add('no data: series gone after an hour', traffic(slice, 61, () => 100, () => 0, true), undefined, 60);
  add('counter reset in the middle of a fast burn', traffic(slice, pageLong * 2, () => 1000, (m) => (m > pageLong ? share(28.8) : 0)), pageLong + 20);
  const random = rng(seed);
  for (let i = 0; i < randomized; i++) {
    const length = pageLong + Math.floor(random() * pageLong * 2);
    const rate = Math.max(1, Math.floor(random() * 200));
    const phases = Array.from({ length: 4 }, () => ({ from: Math.floor(random() * length), burn: [0, 0.5, 2, 8, 20, 60][Math.floor(random() * 6)]! }));
    const burnAt = (m: number) => phases.filter((p) => p.from <= m).reduce((b, p) => Math.max(b, p.burn), 0);
    const stale = random() < 0.3;
    const reset = random() < 0.3 ? Math.floor(length / 2) : undefined;
    add(`randomized #${i} (seed ${seed}, ${rate}/min${stale ? ', ends stale' : ''}${reset ? `, reset at ${reset}` : ''})`, traffic(slice, length, () => rate, (m) => share(burnAt(m))), reset, stale ? 30 : 0);
  }
  return out;
}

const parse = (d: string) => Number(d.slice(0, -1)) * { m: 1, h: 60, d: 1440 }[d.slice(-1) as 'm' | 'h' | 'd'];

/** A short window profile keeps randomized scenarios fast; the workbook profile runs the fixed ones. */
/** Shorter than the workbook's, so randomized scenarios stay fast. */
export const shortProfile: WindowProfile = {
  page: [{ long: '1h', short: '5m', burnRate: 14.4 }, { long: '2h', short: '10m', burnRate: 6 }],
  ticket: [{ long: '6h', short: '30m', burnRate: 3 }, { long: '12h', short: '1h', burnRate: 1 }],
};


/** Runs every fixture slice's scenarios through the monitor and promtool; returns promtool's verdicts. */
export async function runSameMath(profile: WindowProfile, randomized: number) {
  const slices = fixtureSlices();
  const dir = tempDir('parapet-monitor-');
  const files: Record<string, string> = {};
  let checks = 0;
  let firing = 0;
  for (const slice of slices) {
    const scs = scenarios(slice, profile, 1234 + slices.indexOf(slice), randomized);
    const test = promtoolTest(slice, scs, (sc) => {
      const d = monitorDecisions(slice, profile, sc);
      for (const v of d.values()) firing += v.length;
      return d;
    }, profile);
    Object.assign(files, test.files);
    checks += test.checks;
  }
  writeFiles(dir, files);
  const results = await Promise.all(slices.map((s) => tool('promtool', ['test', 'rules', `${s.name}.test.yml`], dir)));
  return { dir, checks, firing, results: results.map((r, i) => ({ slice: slices[i]!.name, ...r })) };
}
