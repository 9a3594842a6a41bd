import { LabelPolicyError, type MetricDefinition } from '../catalog/define.js';
import { EMPTY_VALUE, OTHER_VALUE, TOO_LONG_VALUE } from '../catalog/sentinels.js';

/** Longest label value kept; anything longer is replaced, never truncated into a new series per input. */
export const MAX_LABEL_VALUE_LENGTH = 128;

/** Resolves raw label values into the bounded values a metric may carry. */
export class LabelResolver {
  readonly names: readonly string[];
  private readonly closed: (ReadonlySet<string> | undefined)[];

  constructor(private readonly def: MetricDefinition) {
    this.names = def.labels;
    this.closed = def.labels.map((l) => {
      const values = def.labelValues?.[l];
      return values ? new Set(values) : undefined;
    });
  }

  /** Bounded values in declared label order. Throws LabelPolicyError for undeclared label names. */
  resolve(labels: Readonly<Record<string, unknown>>): string[] {
    const names = this.names;
    const out = new Array<string>(names.length);
    let given = 0;
    for (let i = 0; i < names.length; i++) {
      const raw = labels[names[i]!];
      if (raw !== undefined) given++;
      out[i] = this.bound(i, raw);
    }
    if (given !== Object.keys(labels).length) {
      for (const key of Object.keys(labels)) {
        if (!names.includes(key)) {
          throw new LabelPolicyError(
            `Metric "${this.def.name}" has no label "${key}"; declared labels: ${names.join(', ') || '(none)'}. ` +
              'Declare it in the metric definition or drop it (identifiers belong in evidence or exemplars).',
          );
        }
      }
    }
    return out;
  }

  /** Bound one value at label position i. */
  bound(i: number, raw: unknown): string {
    let value = typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : String(raw);
    if (value === '') value = EMPTY_VALUE;
    else if (value.length > MAX_LABEL_VALUE_LENGTH) value = TOO_LONG_VALUE;
    const closed = this.closed[i];
    if (closed !== undefined && !closed.has(value)) value = OTHER_VALUE;
    return value;
  }
}
