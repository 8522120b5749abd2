import { bitLength } from '../rational.ts';
import { type IntType, intMax, intMin, intTypeName } from '../int/int-type.ts';

/** An operand's integer type; `narrow` (signed only) restricts it to [-MAX, MAX] (TFLite weights). */
export interface AccumulatorOperand {
  readonly type: IntType;
  readonly narrow: boolean;
}

/** Smallest two's-complement width holding every integer in [lo, hi] (at least 1). */
export function signedWidthOf(lo: bigint, hi: bigint): number {
  const need = (v: bigint): number => (v >= 0n ? bitLength(v) : bitLength(-v - 1n)) + 1;
  return Math.max(need(lo), need(hi));
}

/**
 * Exact worst-case accumulator width: the smallest signed width b such that every sum of k products
 * a*b (each operand anywhere in its range) lies in [-2^(b-1), 2^(b-1) - 1]. The extreme sums are k
 * times the extreme products, which sit at corners of the operand ranges. k >= 1, any size.
 */
export function accumulatorWidth(a: AccumulatorOperand, b: AccumulatorOperand, k: bigint): number {
  if (k < 1n) throw new RangeError(`accumulatorWidth: k must be >= 1, got ${k}`);
  const range = (o: AccumulatorOperand): [bigint, bigint] => {
    if (o.narrow && !o.type.signed) throw new RangeError(`accumulatorWidth: narrow range needs a signed type, got ${intTypeName(o.type)}`);
    return [o.narrow ? -intMax(o.type) : intMin(o.type), intMax(o.type)];
  };
  const [alo, ahi] = range(a);
  const [blo, bhi] = range(b);
  const corners = [alo * blo, alo * bhi, ahi * blo, ahi * bhi];
  const pmin = corners.reduce((x, y) => (y < x ? y : x));
  const pmax = corners.reduce((x, y) => (y > x ? y : x));
  return signedWidthOf(k * pmin, k * pmax);
}
