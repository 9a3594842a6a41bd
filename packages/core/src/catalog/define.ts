/**
 * Metric definitions: every Parapet metric declares its name, type, help text and label names
 * up front. `defineMetric` enforces Prometheus naming conventions and the label policy at
 * definition time, so a bad definition fails when the module loads, not at 3am.
 */

import * as z from 'zod';
import { isParapetError, ParapetError, type ParapetErrorOptions } from '../errors/parapet-error.js';
import { parseOptions } from '../internal/options.js';

export type MetricType = 'counter' | 'histogram' | 'gauge';

export interface MetricDefinition<L extends string = string> {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly labels: readonly L[];
  /** Optional closed value sets per label; anything else is recorded as `_other`. */
  readonly labelValues?: Partial<Record<L, readonly string[]>>;
  /** Histogram bucket upper bounds, ascending, in base units. */
  readonly buckets?: readonly number[];
  /** Maximum distinct label sets before new ones go to the overflow series. */
  readonly maxSeries?: number;
  /**
   * Counters only: sibling series to create at 0 whenever a new label set appears, each given
   * as label overrides (e.g. `{ outcome: 'failure' }`). Prometheus' `increase()` cannot see
   * the first event of a series that did not exist before, so an SLO's bad-event series must
   * already exist, at 0, when the first failure happens.
   */
  readonly zeroInit?: readonly Partial<Record<L, string>>[];
}

export const MAX_LABELS = 10;
export const DEFAULT_MAX_SERIES = 1000;

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const RESERVED_LABELS = new Set(['le', 'quantile', '__name__']);
/**
 * Label names that announce an exact identifier or raw input. Exact identifiers belong in
 * evidence rows or exemplars; raw inputs (paths, URLs) must be normalized into a template first.
 */
const IDENTIFIER_LABEL = /(^|_)(id|ids|uuid|email|token|secret|url|uri|path|ip|trace|span|raw)($|_)/;

/** A metric definition breaks Prometheus naming or units (code `METRIC_DEFINITION`). */
export class MetricDefinitionError extends ParapetError {
  override name = 'MetricDefinitionError';
  constructor(message: string, options?: ParapetErrorOptions) {
    super('METRIC_DEFINITION', message, options);
  }
}

/** A metric or a recording breaks the label policy (code `LABEL_POLICY`). */
export class LabelPolicyError extends ParapetError {
  override name = 'LabelPolicyError';
  constructor(message: string, options?: ParapetErrorOptions) {
    super('LABEL_POLICY', message, options);
  }
}

const DEFINITION_KEYS = ['name', 'type', 'help', 'labels', 'labelValues', 'buckets', 'maxSeries', 'zeroInit'];
const definitionKeysSchema = z.strictObject(Object.fromEntries(DEFINITION_KEYS.map((key) => [key, z.unknown().optional()])));

export function defineMetric<const L extends string>(def: MetricDefinition<L>): MetricDefinition<L> {
  const fail = (what: string) => {
    throw new MetricDefinitionError(`Metric "${def.name}": ${what}`);
  };
  if (typeof def !== 'object' || def === null) throw new MetricDefinitionError('defineMetric(): pass a definition object { name, type, help, labels }.');
  if (Object.keys(def).some((key) => !DEFINITION_KEYS.includes(key))) {
    // An unknown key (a typo such as `label`) is an error with a did-you-mean, under this function's error class.
    try {
      parseOptions(definitionKeysSchema, def, `defineMetric("${String(def.name)}")`);
    } catch (error) {
      if (!isParapetError(error)) throw error;
      throw new MetricDefinitionError(error.message, { details: error.details });
    }
  }
  if (!Array.isArray(def.labels)) fail('labels must be an array of label names ([] for none).');
  if (!METRIC_NAME.test(def.name)) fail('name must match [a-zA-Z_:][a-zA-Z0-9_:]* (Prometheus metric name).');
  if (!def.help || def.help.trim() === '') fail('help text is required; say what one event of this metric means.');
  if (def.type === 'counter' && !def.name.endsWith('_total')) fail('counter names end in "_total" (Prometheus convention).');
  if (def.type !== 'counter' && def.name.endsWith('_total')) fail('only counters end in "_total".');
  if (/_(milliseconds|ms|minutes|hours)$/.test(def.name)) fail('use base units: durations are "_seconds".');
  if (def.type === 'histogram') {
    const b = def.buckets;
    if (!b || b.length === 0) fail('histograms declare their buckets.');
    for (let i = 0; i < b!.length; i++) {
      if (!Number.isFinite(b![i]!)) fail(`bucket ${b![i]} is not a finite number (+Inf is added automatically).`);
      if (i > 0 && b![i]! <= b![i - 1]!) fail('buckets must be strictly ascending.');
    }
  } else if (def.buckets) fail('only histograms have buckets.');
  if (def.labels.length > MAX_LABELS) {
    throw new LabelPolicyError(
      `Metric "${def.name}" declares ${def.labels.length} labels (${def.labels.join(', ')}); the limit is ${MAX_LABELS}. Drop or merge labels.`,
    );
  }
  const seen = new Set<string>();
  for (const label of def.labels) {
    if (!LABEL_NAME.test(label) || label.startsWith('__')) {
      throw new LabelPolicyError(`Metric "${def.name}": label "${label}" is not a valid Prometheus label name.`);
    }
    if (RESERVED_LABELS.has(label)) throw new LabelPolicyError(`Metric "${def.name}": label "${label}" is reserved by Prometheus.`);
    if (IDENTIFIER_LABEL.test(label)) {
      throw new LabelPolicyError(
        `Metric "${def.name}": label "${label}" looks like an exact identifier or raw input. ` +
          'Identifiers go to evidence rows or exemplars, raw paths must be normalized to a template (e.g. "route").',
      );
    }
    if (seen.has(label)) throw new LabelPolicyError(`Metric "${def.name}": label "${label}" is declared twice.`);
    seen.add(label);
  }
  for (const key of Object.keys(def.labelValues ?? {})) {
    if (!seen.has(key)) {
      throw new LabelPolicyError(`Metric "${def.name}": labelValues names "${key}", which is not one of its labels (${def.labels.join(', ')}).`);
    }
  }
  if (def.zeroInit) {
    if (def.type !== 'counter') fail('only counters take zeroInit (gauges and histograms need no zero series).');
    for (const overrides of def.zeroInit) {
      for (const [label, value] of Object.entries(overrides)) {
        if (!seen.has(label)) throw new LabelPolicyError(`Metric "${def.name}": zeroInit names "${label}", which is not one of its labels.`);
        const closed = def.labelValues?.[label as L];
        if (closed && !closed.includes(value as string)) {
          throw new LabelPolicyError(`Metric "${def.name}": zeroInit value "${String(value)}" is not one of the allowed values of "${label}" (${closed.join(', ')}).`);
        }
      }
    }
  }
  if (def.maxSeries !== undefined && !(Number.isInteger(def.maxSeries) && def.maxSeries > 0)) {
    fail('maxSeries must be a positive integer.');
  }
  return Object.freeze({ ...def });
}
