import { bitLength } from '../rational.ts';
import type { ExactValue } from './value.ts';

/**
 * Rounding directions:
 * - `rne` nearest, ties to even (IEEE roundTiesToEven; the default everywhere);
 * - `rna` nearest, ties away from zero (IEEE roundTiesToAway; C `round`, MX reference "nearest");
 * - `rtz` toward zero (truncation);
 * - `rup` toward +Inf; `rdn` toward -Inf.
 */
export type FloatRounding = 'rne' | 'rna' | 'rtz' | 'rup' | 'rdn';

export const FLOAT_ROUNDINGS: readonly FloatRounding[] = ['rne', 'rna', 'rtz', 'rup', 'rdn'];

export function isFloatRounding(s: string): s is FloatRounding {
  return (FLOAT_ROUNDINGS as readonly string[]).includes(s);
}

/** Where the discarded part of a magnitude lies relative to half a unit of the kept part. */
export type Remainder = 'exact' | 'below-half' | 'half' | 'above-half';

/** Whether to add one unit to the truncated magnitude `t` (of a value with sign `neg`). */
export function roundUpMagnitude(mode: FloatRounding, neg: boolean, t: bigint, rem: Remainder): boolean {
  if (rem === 'exact') return false;
  switch (mode) {
    case 'rne':
      return rem === 'above-half' || (rem === 'half' && (t & 1n) === 1n);
    case 'rna':
      return rem !== 'below-half';
    case 'rtz':
      return false;
    case 'rup':
      return !neg;
    case 'rdn':
      return neg;
  }
}

/** True when `mode` rounds a value of sign `neg` toward zero on overflow (IEEE: gives max finite). */
export function overflowsToMax(mode: FloatRounding, neg: boolean): boolean {
  return mode === 'rtz' || (mode === 'rup' && neg) || (mode === 'rdn' && !neg);
}

/** A non-zero finite magnitude, dyadic or ratio. */
export type Magnitude = Extract<ExactValue, { kind: 'finite' } | { kind: 'ratio' }>;

/** floor(log2 |x|) of a non-zero finite magnitude. */
export function magnitudeLog2(x: Magnitude): number {
  if (x.kind === 'finite') return bitLength(x.sig) - 1 + x.exp;
  let k = bitLength(x.num) - bitLength(x.den);
  // 2^(k-1) < num/den < 2^(k+1): one comparison settles it.
  const below = k >= 0 ? x.num < x.den << BigInt(k) : x.num << BigInt(-k) < x.den;
  if (below) k -= 1;
  return k;
}

/**
 * |x| / 2^q split into its integer part and a remainder class. Exact bigint arithmetic: dyadic values
 * use shifts, ratios one division.
 */
export function splitAtQuantum(x: Magnitude, q: number): { t: bigint; rem: Remainder } {
  if (x.kind === 'finite') {
    const shift = x.exp - q;
    if (shift >= 0) return { t: x.sig << BigInt(shift), rem: 'exact' };
    const s = BigInt(-shift);
    const t = x.sig >> s;
    const r = x.sig - (t << s);
    const half = 1n << (s - 1n);
    return { t, rem: classifyRem(r, half) };
  }
  const num = q <= 0 ? x.num << BigInt(-q) : x.num;
  const den = q <= 0 ? x.den : x.den << BigInt(q);
  const t = num / den;
  const r2 = (num - t * den) * 2n;
  return { t, rem: r2 === 0n ? 'exact' : r2 < den ? 'below-half' : r2 === den ? 'half' : 'above-half' };
}

function classifyRem(r: bigint, half: bigint): Remainder {
  if (r === 0n) return 'exact';
  return r < half ? 'below-half' : r === half ? 'half' : 'above-half';
}

/** |x| rounded to an integer multiple of 2^q, returned as that multiple's count. */
export function roundAtQuantum(x: Magnitude, q: number, mode: FloatRounding): bigint {
  const { t, rem } = splitAtQuantum(x, q);
  return roundUpMagnitude(mode, x.neg, t, rem) ? t + 1n : t;
}
