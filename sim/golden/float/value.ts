import { bitLength, Rational } from '../rational.ts';

/**
 * An exact float-domain value: a signed zero, a non-zero dyadic `±sig · 2^exp` (sig > 0, not
 * necessarily odd: two values are equal when `compareValues` says so), a signed infinity, or NaN
 * (NaN carries no sign or payload: the golden model never propagates payloads).
 */
export type FloatValue =
  | { readonly kind: 'zero'; readonly neg: boolean }
  | { readonly kind: 'finite'; readonly neg: boolean; readonly sig: bigint; readonly exp: number }
  | { readonly kind: 'inf'; readonly neg: boolean }
  | { readonly kind: 'nan' };

/** A positive-denominator ratio `±num/den` (num, den > 0): exact quotients that need not be dyadic. */
export interface RatioValue {
  readonly kind: 'ratio';
  readonly neg: boolean;
  readonly num: bigint;
  readonly den: bigint;
}

/** Anything the rounding routine accepts. */
export type ExactValue = FloatValue | RatioValue;

export const FLOAT_NAN: FloatValue = Object.freeze({ kind: 'nan' });
export const FLOAT_POS_ZERO: FloatValue = Object.freeze({ kind: 'zero', neg: false });
export const FLOAT_NEG_ZERO: FloatValue = Object.freeze({ kind: 'zero', neg: true });

export function floatZero(neg: boolean): FloatValue {
  return neg ? FLOAT_NEG_ZERO : FLOAT_POS_ZERO;
}
export function floatInf(neg: boolean): FloatValue {
  return { kind: 'inf', neg };
}
/** ±|sig|·2^exp; a zero `sig` gives the zero of sign `neg`. The sign of `sig` is ignored. */
export function dyadic(neg: boolean, sig: bigint, exp: number): FloatValue {
  if (sig === 0n) return floatZero(neg);
  return { kind: 'finite', neg, sig: sig < 0n ? -sig : sig, exp };
}

/** Exact value of an integer. */
export function valueFromBigInt(n: bigint): FloatValue {
  return dyadic(n < 0n, n, 0);
}

/** Exact value of a rational (the zero is +0); a ratio unless the denominator is a power of two. */
export function valueFromRational(r: Rational, negZero = false): ExactValue {
  if (r.isZero()) return floatZero(negZero);
  const neg = r.sign() < 0;
  const num = neg ? -r.num : r.num;
  if ((r.den & (r.den - 1n)) === 0n) return { kind: 'finite', neg, sig: num, exp: -(bitLength(r.den) - 1) };
  return { kind: 'ratio', neg, num, den: r.den };
}

/** Exact value of a JS number (every binary64 is dyadic); -0, ±Infinity and NaN map to their kinds. */
export function valueFromNumber(x: number): FloatValue {
  if (Number.isNaN(x)) return FLOAT_NAN;
  if (x === Infinity || x === -Infinity) return floatInf(x < 0);
  if (x === 0) return floatZero(Object.is(x, -0));
  const r = Rational.fromNumber(x);
  const v = valueFromRational(r);
  if (v.kind !== 'finite') throw new Error('internal: binary64 is not dyadic');
  return v;
}

/** Exact rational of a zero/finite/ratio value (zeros lose their sign); throws RangeError for Inf/NaN. */
export function valueToRational(v: ExactValue): Rational {
  switch (v.kind) {
    case 'zero':
      return Rational.ZERO;
    case 'finite': {
      const m = Rational.fromInt(v.neg ? -v.sig : v.sig);
      return m.mulPow2(v.exp);
    }
    case 'ratio':
      return Rational.of(v.neg ? -v.num : v.num, v.den);
    case 'inf':
    case 'nan':
      throw new RangeError(`valueToRational: ${v.kind} has no rational value`);
  }
}

/** SCHEMA "value" string: a canonical real, or "-0", "Inf", "-Inf", "NaN". */
export function valueToString(v: ExactValue): string {
  switch (v.kind) {
    case 'nan':
      return 'NaN';
    case 'inf':
      return v.neg ? '-Inf' : 'Inf';
    case 'zero':
      return v.neg ? '-0' : '0';
    case 'finite':
    case 'ratio':
      return valueToRational(v).toString();
  }
}

/** Nearest binary64 (exact for every value of a <= 32-bit format). */
export function valueToNumber(v: ExactValue): number {
  switch (v.kind) {
    case 'nan':
      return NaN;
    case 'inf':
      return v.neg ? -Infinity : Infinity;
    case 'zero':
      return v.neg ? -0 : 0;
    case 'finite':
    case 'ratio':
      return valueToRational(v).toNumber();
  }
}

/**
 * Total order on non-NaN values by numeric value (-0 and +0 compare equal); throws RangeError on NaN.
 */
export function compareValues(a: ExactValue, b: ExactValue): -1 | 0 | 1 {
  if (a.kind === 'nan' || b.kind === 'nan') throw new RangeError('compareValues: NaN is unordered');
  const rank = (v: ExactValue): number => (v.kind === 'inf' ? (v.neg ? -1 : 1) : 0);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (ra !== 0) return 0;
  return valueToRational(a).cmp(valueToRational(b));
}
