import { type FixedType, type FixedValue, fixedType, fracBits } from './fixed-type.ts';

/*
 * Full-precision arithmetic with ac_fixed's result types: the result type holds every exact result
 * of its operand types, so these never round or overflow.
 *   add: F = max(F1, F2); I = max(I1 + (S2 && !S1), I2 + (S1 && !S2)) + 1; S = S1 || S2
 *   sub: same I and F; S = true (a difference of unsigned values can be negative)
 *   mul: W = W1 + W2; I = I1 + I2; S = S1 || S2
 *   neg: W + 1, I + 1, signed
 * (Where both operands are unsigned and the result signed, ac_fixed's sub grows by one bit.)
 */

/** Result type of fixedAdd. */
export function addType(a: FixedType, b: FixedType): FixedType {
  const f = Math.max(fracBits(a), fracBits(b));
  const i = Math.max(a.intBits + (b.signed && !a.signed ? 1 : 0), b.intBits + (a.signed && !b.signed ? 1 : 0)) + 1;
  return fixedType(i + f, i, a.signed || b.signed);
}

/** Result type of fixedSub. */
export function subType(a: FixedType, b: FixedType): FixedType {
  const t = addType(a, b);
  return fixedType(t.width, t.intBits, true);
}

/** Result type of fixedMul. */
export function mulType(a: FixedType, b: FixedType): FixedType {
  return fixedType(a.width + b.width, a.intBits + b.intBits, a.signed || b.signed);
}

/** The code of v expressed with `frac` fractional bits (frac >= fracBits(v.type)). */
function align(v: FixedValue, frac: number): bigint {
  return v.code << BigInt(frac - fracBits(v.type));
}

/** Exact a + b in addType(a, b). */
export function fixedAdd(a: FixedValue, b: FixedValue): FixedValue {
  const type = addType(a.type, b.type);
  return { type, code: align(a, fracBits(type)) + align(b, fracBits(type)) };
}

/** Exact a - b in subType(a, b). */
export function fixedSub(a: FixedValue, b: FixedValue): FixedValue {
  const type = subType(a.type, b.type);
  return { type, code: align(a, fracBits(type)) - align(b, fracBits(type)) };
}

/** Exact a * b in mulType(a, b). */
export function fixedMul(a: FixedValue, b: FixedValue): FixedValue {
  return { type: mulType(a.type, b.type), code: a.code * b.code };
}

/** Exact -a in a type one bit wider (signed). */
export function fixedNeg(a: FixedValue): FixedValue {
  return { type: fixedType(a.type.width + 1, a.type.intBits + 1, true), code: -a.code };
}
