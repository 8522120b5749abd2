import { gemmInt8 } from './gemm.ts';
import type { GemmOptions, GemmShape, Int8Operand } from './gemm-reference.ts';
import { multiplyByQuantizedMultiplierFast } from './requant-fast.ts';

/**
 * Output stage of a quantized GEMM: per-tensor (numbers) or per-channel (one per output column)
 * multipliers and shifts, TFLite double or single rounding, output zero point, activation clamp.
 */
export interface RequantOptions {
  readonly multiplier: number | Int32Array;
  readonly shift: number | Int32Array;
  readonly variant: 'double_round' | 'single_round';
  readonly outputZeroPoint: number;
  /** Clamp of the output, inside int8. */
  readonly actMin: number;
  readonly actMax: number;
}

function perChannel(v: number | Int32Array, n: number, name: string): (j: number) => number {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new RangeError(`requant: ${name} must be an integer, got ${v}`);
    return () => v;
  }
  if (v.length !== n) throw new RangeError(`requant: per-channel ${name} needs n = ${n} values, got ${v.length}`);
  return (j) => v[j] as number;
}

function checkRequant(o: RequantOptions, n: number): void {
  if (!(-128 <= o.actMin && o.actMin <= o.actMax && o.actMax <= 127)) throw new RangeError(`requant: need -128 <= actMin <= actMax <= 127, got [${o.actMin}, ${o.actMax}]`);
  const mult = perChannel(o.multiplier, n, 'multiplier');
  const shift = perChannel(o.shift, n, 'shift');
  for (let j = 0; j < n; j++) {
    const m = mult(j);
    const s = shift(j);
    if (m < -(2 ** 31) || m >= 2 ** 31) throw new RangeError(`requant: multiplier[${j}] = ${m} is outside int32`);
    const ok = o.variant === 'single_round' ? m >= 0 && s >= -31 && s <= 30 : s >= -31 && s <= 30;
    if (!ok) throw new RangeError(`requant: multiplier/shift [${j}] = (${m}, ${s}) outside the ${o.variant} contract`);
  }
}

/**
 * int8 output of a quantized GEMM: acc = gemmInt8(A, B) (+ bias), y = MultiplyByQuantizedMultiplier(acc,
 * m[j], s[j]) + outputZeroPoint, clamped to [actMin, actMax]. With double rounding, acc * 2^max(s,0)
 * must fit int32 (RangeError otherwise, where the C reference is undefined).
 */
export function gemmRequantInt8(a: Int8Operand, b: Int8Operand, s: GemmShape, g: GemmOptions, o: RequantOptions): Int8Array {
  checkRequant(o, s.n);
  const acc = gemmInt8(a, b, s, g);
  const mult = perChannel(o.multiplier, s.n, 'multiplier');
  const shift = perChannel(o.shift, s.n, 'shift');
  const single = o.variant === 'single_round';
  const out = new Int8Array(acc.length);
  for (let idx = 0; idx < acc.length; idx++) {
    const j = idx % s.n;
    const x = acc[idx] as number;
    const sh = shift(j);
    if (!single && sh > 0 && (x * 2 ** sh < -(2 ** 31) || x * 2 ** sh >= 2 ** 31)) throw new RangeError(`gemmRequantInt8: acc[${idx}] * 2^${sh} overflows int32`);
    const y = multiplyByQuantizedMultiplierFast(x, mult(j), sh, single) + o.outputZeroPoint;
    out[idx] = y < o.actMin ? o.actMin : y > o.actMax ? o.actMax : y;
  }
  return out;
}
