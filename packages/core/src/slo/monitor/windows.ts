import { BASE_WINDOW } from '../conventions.js';
import { durationMinutes } from '../model/duration.js';
import { BASE_MINUTES } from './series.js';

/**
 * Fixed-size window state for one slice group, laid out exactly like the generated recording
 * rules: a per-minute ring for the last 5 minutes (the 5m increase, recorded every minute) and a
 * ring of 5m tiles (the 5m increase at every minute divisible by 5); every longer window is the
 * sum of its newest window/5m tiles, kept as a running sum. Memory depends on the longest alert
 * window only (3d: 864 tiles), never on traffic.
 */
export class GroupWindows {
  /** Per-minute events (deltas of the cumulative counters) and presence, minutes t-5..t. */
  private readonly minuteTotal = new Float64Array(BASE_MINUTES + 1);
  private readonly minuteBad = new Float64Array(BASE_MINUTES + 1);
  private readonly minutePresent = new Uint8Array(BASE_MINUTES + 1);
  private readonly tileTotal: Float64Array;
  private readonly tileBad: Float64Array;
  private readonly tilePresent: Uint8Array;
  private tileHead = -1;
  private tilesPushed = 0;
  /** Running sums per long window (tile count -> sums). */
  private readonly sums: { tiles: number; total: number; bad: number; present: number }[];
  /** Cumulative counters at the previous read (counter kinds). */
  private lastTotal: number | undefined;
  private lastBad: number | undefined;
  /** Minute of the last observation. */
  minute = -1;
  /** Increase over the base window at the last observed minute, undefined when absent. */
  total5: number | undefined;
  bad5: number | undefined;

  constructor(longWindowsMinutes: readonly number[], readonly cumulative: boolean) {
    const maxTiles = Math.max(1, ...longWindowsMinutes.map((m) => m / BASE_MINUTES));
    this.tileTotal = new Float64Array(maxTiles);
    this.tileBad = new Float64Array(maxTiles);
    this.tilePresent = new Uint8Array(maxTiles);
    this.sums = [...new Set(longWindowsMinutes.map((m) => m / BASE_MINUTES))].map((tiles) => ({ tiles, total: 0, bad: 0, present: 0 }));
  }

  /** Bytes held by the typed arrays (the benchmark reports this per slice). */
  get bytes(): number {
    return this.minuteTotal.byteLength * 2 + this.minutePresent.byteLength + this.tileTotal.byteLength * 2 + this.tilePresent.byteLength;
  }

  /**
   * Records the read at `minute` (cumulative counters, or for gauges the series counts of this
   * minute; undefined when the group's series are absent), then the tile if the minute starts one.
   * Minutes skipped since the last call are recorded as absent reads.
   */
  observe(minute: number, reading: { total: number; bad: number } | undefined): void {
    if (this.minute >= 0 && minute <= this.minute) return;
    for (let m = this.minute < 0 ? minute : this.minute + 1; m < minute; m++) this.record(m, undefined);
    this.record(minute, reading);
  }

  private record(minute: number, reading: { total: number; bad: number } | undefined): void {
    const slot = minute % (BASE_MINUTES + 1);
    if (reading === undefined) {
      this.minuteTotal[slot] = 0;
      this.minuteBad[slot] = 0;
      this.minutePresent[slot] = 0;
    } else if (!this.cumulative) {
      this.minuteTotal[slot] = reading.total;
      this.minuteBad[slot] = reading.bad;
      this.minutePresent[slot] = 1;
    } else {
      // Counter reset (process restart, registry reset): the new value counts from zero, as in
      // Prometheus's increase(). The group's first read is the baseline (increase() never counts
      // a series' first sample either); a bad series that appears later inside a known group
      // counts in full (its events happened since the previous read).
      const delta = (now: number, last: number | undefined, first: boolean) =>
        first ? 0 : last === undefined ? now : now >= last ? now - last : now;
      const first = this.minute < 0;
      this.minuteTotal[slot] = delta(reading.total, this.lastTotal, first);
      this.minuteBad[slot] = Math.min(this.minuteTotal[slot]!, Math.max(0, delta(reading.bad, this.lastBad, first)));
      this.minutePresent[slot] = 1;
      this.lastTotal = reading.total;
      this.lastBad = reading.bad;
    }
    if (reading === undefined && this.cumulative) {
      this.lastTotal = undefined;
      this.lastBad = undefined;
    }
    this.minute = minute;
    this.computeBase(minute);
    if (minute % BASE_MINUTES === 0) this.pushTile();
  }

  /**
   * The 5m increase at `t`: events in (t-5m, t], defined when at least two reads in t-5m..t saw
   * the series (increase() needs two samples in its range).
   */
  private computeBase(t: number): void {
    let present = 0;
    let total = 0;
    let bad = 0;
    for (let m = Math.max(0, t - BASE_MINUTES); m <= t; m++) {
      const slot = m % (BASE_MINUTES + 1);
      present += this.minutePresent[slot]!;
      // Counters: events in (t-5m, t]. Gauges (freshness): the generated subquery [5m:1m] reads
      // its points at t-5m..t, a closed range under Prometheus 2.x (simulate.ts models the same).
      if (m > t - BASE_MINUTES || !this.cumulative) {
        total += this.minuteTotal[slot]!;
        bad += this.minuteBad[slot]!;
      }
    }
    const needed = this.cumulative ? 2 : 1;
    this.total5 = present >= needed ? total : undefined;
    this.bad5 = present >= needed ? bad : undefined;
  }

  private pushTile(): void {
    const size = this.tileTotal.length;
    this.tileHead = (this.tileHead + 1) % size;
    this.tilesPushed++;
    const total = this.total5 ?? 0;
    const bad = this.bad5 ?? 0;
    const present = this.total5 === undefined ? 0 : 1;
    for (const s of this.sums) {
      if (this.tilesPushed > s.tiles) {
        const old = (this.tileHead - s.tiles + size) % size;
        s.total -= this.tileTotal[old]!;
        s.bad -= this.tileBad[old]!;
        s.present -= this.tilePresent[old]!;
      }
      s.total += total;
      s.bad += bad;
      s.present += present;
    }
    this.tileTotal[this.tileHead] = total;
    this.tileBad[this.tileHead] = bad;
    this.tilePresent[this.tileHead] = present;
  }

  /** Total and bad events in a window at the last observed minute; undefined when no tile (or 5m read) was present. */
  window(minutes: number): { total: number; bad: number } | undefined {
    if (minutes === BASE_MINUTES) return this.total5 === undefined ? undefined : { total: this.total5, bad: this.bad5! };
    const s = this.sums.find((x) => x.tiles === minutes / BASE_MINUTES);
    if (!s) throw new RangeError(`window of ${minutes} minutes is not tracked`);
    // Running sums of whole numbers stay exact; guard against -0 drift from float counts anyway.
    return s.present > 0 ? { total: Math.max(0, s.total), bad: Math.max(0, s.bad) } : undefined;
  }
}

export const BASE_WINDOW_MINUTES = durationMinutes(BASE_WINDOW);
