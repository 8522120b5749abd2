import type { FloatRounding } from './rounding.ts';
import { dyadic, floatInf, FLOAT_NAN, floatZero, type ExactValue, type FloatValue } from './value.ts';

/**
 * Exact arithmetic on float values with IEEE 754 special-case rules. Results are exact (no rounding);
 * only the sign of an exact zero sum depends on the rounding mode that will be applied, as in IEEE 754
 * §6.3: `x + (-x)` is +0 in every mode except `rdn`, where it is -0; `(-0) + (-0)` is -0 and
 * `(+0) + (+0)` is +0 in every mode.
 *
 * Specials: any NaN operand gives NaN; Inf·0 and Inf - Inf give NaN; Inf·x and Inf + finite give Inf.
 */

export function negate(a: FloatValue): FloatValue {
  return a.kind === 'nan' ? a : { ...a, neg: !a.neg };
}

export function exactMul(a: FloatValue, b: FloatValue): FloatValue {
  if (a.kind === 'nan' || b.kind === 'nan') return FLOAT_NAN;
  const neg = a.neg !== b.neg;
  if (a.kind === 'inf' || b.kind === 'inf') return a.kind === 'zero' || b.kind === 'zero' ? FLOAT_NAN : floatInf(neg);
  if (a.kind === 'zero' || b.kind === 'zero') return floatZero(neg);
  return dyadic(neg, a.sig * b.sig, a.exp + b.exp);
}

export function exactAdd(a: FloatValue, b: FloatValue, mode: FloatRounding = 'rne'): FloatValue {
  if (a.kind === 'nan' || b.kind === 'nan') return FLOAT_NAN;
  if (a.kind === 'inf' || b.kind === 'inf') {
    if (a.kind === 'inf' && b.kind === 'inf' && a.neg !== b.neg) return FLOAT_NAN;
    return a.kind === 'inf' ? a : b;
  }
  if (a.kind === 'zero' && b.kind === 'zero') return floatZero(a.neg === b.neg ? a.neg : mode === 'rdn');
  if (a.kind === 'zero') return b;
  if (b.kind === 'zero') return a;
  const e = Math.min(a.exp, b.exp);
  const sa = (a.neg ? -a.sig : a.sig) << BigInt(a.exp - e);
  const sb = (b.neg ? -b.sig : b.sig) << BigInt(b.exp - e);
  const s = sa + sb;
  if (s === 0n) return floatZero(mode === 'rdn');
  return dyadic(s < 0n, s, e);
}

export function exactSub(a: FloatValue, b: FloatValue, mode: FloatRounding = 'rne'): FloatValue {
  return exactAdd(a, negate(b), mode);
}

/** a·b + c exactly (one operation: Inf·0 + anything is NaN, as IEEE fusedMultiplyAdd). */
export function exactFma(a: FloatValue, b: FloatValue, c: FloatValue, mode: FloatRounding = 'rne'): FloatValue {
  return exactAdd(exactMul(a, b), c, mode);
}

/** Sum of many values exactly, left to right (exact, so the order only matters for the sign of zero). */
export function exactSum(values: readonly FloatValue[], mode: FloatRounding = 'rne'): FloatValue {
  let acc: FloatValue | undefined;
  for (const v of values) acc = acc === undefined ? v : exactAdd(acc, v, mode);
  return acc ?? floatZero(false);
}

/**
 * a / b exactly, as a ratio (or a dyadic/zero/special). Specials: NaN operand, 0/0 and Inf/Inf give
 * NaN; x/0 gives Inf of the sign xor (IEEE divideByZero); 0/x and x/Inf give the signed zero.
 */
export function exactDiv(a: FloatValue, b: FloatValue): ExactValue {
  if (a.kind === 'nan' || b.kind === 'nan') return FLOAT_NAN;
  const neg = a.neg !== b.neg;
  if (a.kind === 'inf') return b.kind === 'inf' ? FLOAT_NAN : floatInf(neg);
  if (b.kind === 'inf') return floatZero(neg);
  if (b.kind === 'zero') return a.kind === 'zero' ? FLOAT_NAN : floatInf(neg);
  if (a.kind === 'zero') return floatZero(neg);
  // a.sig·2^a.exp / (b.sig·2^b.exp): move the power of two onto whichever side keeps it a non-negative shift.
  const k = a.exp - b.exp;
  const num = k >= 0 ? a.sig << BigInt(k) : a.sig;
  const den = k >= 0 ? b.sig : b.sig << BigInt(-k);
  return { kind: 'ratio', neg, num, den };
}
