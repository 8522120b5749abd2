import { exactMul, exactSum } from '../float/exact.ts';
import { fp32 } from '../float/format.ts';
import { roundToFormat, type FloatRoundOptions } from '../float/round.ts';
import type { FloatValue } from '../float/value.ts';
import type { MxBlock } from './format.ts';
import { mxDequantizeBlock } from './quantize.ts';

/**
 * Exact dot product of two MX blocks (OCP MX v1.0 §6.2 Dot): Σ (a_i·2^ea)(b_i·2^eb), with no
 * intermediate rounding. Specials: a NaN scale, a NaN element, Inf·0 or Inf - Inf give NaN (E5M2
 * elements can be ±Inf). The blocks may have different element formats; lengths must match.
 */
export function mxDotExact(a: MxBlock, b: MxBlock): FloatValue {
  if (a.elements.length !== b.elements.length) throw new RangeError(`mxDot: ${a.elements.length} vs ${b.elements.length} elements`);
  const va = mxDequantizeBlock(a);
  const vb = mxDequantizeBlock(b);
  return exactSum(va.map((x, i) => exactMul(x, vb[i] as FloatValue)));
}

/**
 * MX dot product rounded to fp32. Precision contract: the exact result of `mxDotExact` rounded ONCE
 * (default rne, IEEE overflow to ±Inf unless `saturate`, fp32 subnormals kept unless `flushOutput`).
 * OCP leaves the accumulation precision implementation-defined; hardware with a narrower or
 * differently ordered accumulator is compared against this value with its own documented error bound
 * or against `dotTree` with a matching order.
 */
export function mxDotFp32(a: MxBlock, b: MxBlock, opts: FloatRoundOptions = {}): number {
  return roundToFormat(fp32, mxDotExact(a, b), opts);
}
