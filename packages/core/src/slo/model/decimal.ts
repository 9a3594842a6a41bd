/**
 * Exact decimal arithmetic for thresholds printed into PromQL. Floating point would print
 * 1 - 0.999 as 0.0010000000000000009; reviewers and diffs need 0.001.
 */
export interface Decimal {
  readonly digits: bigint;
  /** Number of digits after the decimal point. */
  readonly scale: number;
}

export function toDecimal(value: number): Decimal {
  if (!Number.isFinite(value)) throw new RangeError(`${value} is not a finite number`);
  // String(n) is the shortest representation that round-trips, e.g. 99.9 -> "99.9".
  const [mantissa = '0', exp = '0'] = String(value).toLowerCase().split('e');
  const negative = mantissa.startsWith('-');
  const [whole = '0', frac = ''] = mantissa.replace('-', '').split('.');
  let digits = BigInt(whole + frac);
  let scale = frac.length - Number(exp);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits: negative ? -digits : digits, scale };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.digits * 10n ** BigInt(scale - a.scale), b.digits * 10n ** BigInt(scale - b.scale), scale];
}

export function subtract(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return { digits: x - y, scale };
}

export function multiply(a: Decimal, b: Decimal): Decimal {
  return { digits: a.digits * b.digits, scale: a.scale + b.scale };
}

/** Divides by a power of ten, exactly. */
export function shift(a: Decimal, places: number): Decimal {
  return { digits: a.digits, scale: a.scale + places };
}

export function formatDecimal(d: Decimal): string {
  const negative = d.digits < 0n;
  let s = (negative ? -d.digits : d.digits).toString().padStart(d.scale + 1, '0');
  if (d.scale > 0) {
    s = `${s.slice(0, s.length - d.scale)}.${s.slice(s.length - d.scale)}`.replace(/\.?0+$/, '');
  }
  return (negative && s !== '0' ? '-' : '') + s;
}

/** Formats a product of plain numbers exactly: exact(14.4, 0.001) === '0.0144'. */
export function exactProduct(...values: number[]): string {
  return formatDecimal(values.map(toDecimal).reduce(multiply, { digits: 1n, scale: 0 }));
}

/** Error budget as a fraction, exactly: objective 99.9 -> "0.001". */
export function errorBudget(objectivePercent: number): string {
  return formatDecimal(shift(subtract(toDecimal(100), toDecimal(objectivePercent)), 2));
}

/** Objective as a fraction, exactly: 99.9 -> "0.999". */
export function objectiveRatio(objectivePercent: number): string {
  return formatDecimal(shift(toDecimal(objectivePercent), 2));
}
