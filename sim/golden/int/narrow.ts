import { type IntType, intMax, intMin } from './int-type.ts';

/** Overflow handling when narrowing an integer: WRAP keeps the low N bits, SAT clamps to the range. */
export type IntOverflow = 'WRAP' | 'SAT';

/** Keeps the low `t.bits` bits of any integer, read back as t (two's complement if signed). */
export function wrapInt(x: bigint, t: IntType): bigint {
  return t.signed ? BigInt.asIntN(t.bits, x) : BigInt.asUintN(t.bits, x);
}

/** Clamps any integer to [lo, hi]. */
export function clampInt(x: bigint, lo: bigint, hi: bigint): bigint {
  if (lo > hi) throw new RangeError(`clampInt: empty range [${lo}, ${hi}]`);
  return x < lo ? lo : x > hi ? hi : x;
}

/** Clamps any integer to the range of t. */
export function saturateInt(x: bigint, t: IntType): bigint {
  return clampInt(x, intMin(t), intMax(t));
}

/** Narrows any integer to t with the given overflow mode. */
export function narrowInt(x: bigint, t: IntType, overflow: IntOverflow): bigint {
  return overflow === 'WRAP' ? wrapInt(x, t) : saturateInt(x, t);
}
