/** Emulates the Prometheus template functions whose output generated promtool tests predict. */

/** Go's fmt "%.4g" for finite numbers. */
export function goG4(v: number): string {
  if (v === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(Number(v.toPrecision(4)))));
  if (exp < -4 || exp >= 4) {
    const [m = '', e = '0'] = v.toExponential(3).split('e');
    const mant = m.includes('.') ? m.replace(/\.?0+$/, '') : m;
    const n = Number(e);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const fixed = v.toPrecision(4);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** Prometheus `humanize`: SI prefixes, 4 significant digits. */
export function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return goG4(v);
  let prefix = '';
  if (Math.abs(v) >= 1) {
    for (const p of ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y']) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
  } else {
    for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
      if (Math.abs(v) >= 1) break;
      prefix = p;
      v *= 1000;
    }
  }
  return goG4(v) + prefix;
}

/** Prometheus `humanizePercentage`. */
export function humanizePercentage(v: number): string {
  return `${goG4(v * 100)}%`;
}

/**
 * Go's fmt `%.<digits>f`: rounds the exact binary value, ties to even (JS `toFixed` rounds
 * exact ties away from zero: 0.25 -> "0.3" where Go prints "0.2").
 */
export function goFixed(v: number, digits: number): string {
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN';
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  const magnitude = Math.abs(v);
  // toFixed is exact (it rounds the true binary value), so 30 more digits expose a true tie.
  const wide = magnitude.toFixed(Math.min(100, digits + 30));
  const [whole = '0', fraction = ''] = wide.split('.');
  const tie = fraction[digits] === '5' && /^0*$/.test(fraction.slice(digits + 1));
  if (!tie) return sign + magnitude.toFixed(digits);
  const truncated = digits === 0 ? whole : `${whole}.${fraction.slice(0, digits)}`;
  const lastDigit = Number(truncated[truncated.length - 1]);
  // Even last digit: round down (keep it); odd: toFixed rounds the tie up, to the even neighbour.
  return sign + (lastDigit % 2 === 0 ? truncated : magnitude.toFixed(digits));
}
