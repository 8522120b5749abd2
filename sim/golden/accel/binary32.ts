import { Rational } from '../rational.ts';
import { roundQuotient } from '../int/rounding.ts';

/*
 * Just enough binary32 for Gemmini's acc_scale, in exact arithmetic (no JS floats): values are
 * Rationals that are exactly representable in binary32, or an infinity. Round-to-nearest-even,
 * subnormals included; overflow goes to infinity as in IEEE 754.
 */
export type Binary32Value = Rational | 'Inf' | '-Inf';

const PRECISION = 24; // significand bits, hidden bit included
const EMIN = -126;
const OVERFLOW = Rational.pow2(128); // smallest magnitude that is not finite after rounding

/** The binary32 nearest to x (ties to even); magnitudes that round to 2^128 or beyond become infinities. */
export function roundToBinary32(x: Rational): Binary32Value {
  if (x.isZero()) return Rational.ZERO;
  const e = Math.max(x.floorLog2(), EMIN);
  // Quantum of x's binade (or of the subnormal range): 2^(e - 23).
  const scaled = x.mulPow2(PRECISION - 1 - e);
  const n = roundQuotient(scaled.num, scaled.den, 'rne');
  const r = Rational.of(n).mulPow2(e - (PRECISION - 1));
  if (r.abs().cmp(OVERFLOW) >= 0) return x.sign() < 0 ? '-Inf' : 'Inf';
  return r;
}

/** True when x is exactly a finite binary32 value. */
export function isBinary32(x: Rational): boolean {
  const r = roundToBinary32(x);
  return typeof r !== 'string' && r.eq(x);
}

/** binary32 multiplication, rne (the exact product rounded once). Infinity times zero is not needed here and throws. */
export function mulBinary32(a: Binary32Value, b: Binary32Value): Binary32Value {
  if (typeof a !== 'string' && typeof b !== 'string') return roundToBinary32(a.mul(b));
  const sa = typeof a === 'string' ? (a === 'Inf' ? 1 : -1) : a.sign();
  const sb = typeof b === 'string' ? (b === 'Inf' ? 1 : -1) : b.sign();
  if (sa === 0 || sb === 0) throw new RangeError('mulBinary32: infinity times zero is NaN');
  return sa * sb > 0 ? 'Inf' : '-Inf';
}

/** binary32 -> int32 with rne and saturation (C `(int32_t)nearbyint` clamped, as Gemmini's hardware does). */
export function binary32ToInt32Sat(x: Binary32Value): bigint {
  const max = (1n << 31n) - 1n;
  const min = -(1n << 31n);
  if (x === 'Inf') return max;
  if (x === '-Inf') return min;
  const n = roundQuotient(x.num, x.den, 'rne');
  return n > max ? max : n < min ? min : n;
}
