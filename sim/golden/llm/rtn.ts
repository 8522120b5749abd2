/**
 * Round-to-nearest int4 group quantization of a K×N binary32 weight matrix (groups of `groupSize`
 * rows along K, per output column), as AWQ's `pseudo_quantize_tensor` defines it:
 * - `asym` (min-max): s = fp16(max(hi − lo, 1e-5) / 15), z = clamp(−rne(lo / s), 0, 15) with lo, hi the
 *   group's min and max; q = clamp(rne(w / s) + z, 0, 15);
 * - `sym`: s = fp16(amax / 7), z = 8 (codes −8..7 stored with an offset of 8); q = clamp(rne(w / s) + 8, 0, 15);
 *   an all-zero group gets s = 1.
 * The scale is the exact quotient rounded once to fp16 (rne; a result of 0 becomes the smallest fp16
 * subnormal, an overflow is an error), and the codes are computed from that stored fp16 scale, so they
 * dequantize consistently. rne(w / s) is evaluated on the binary64 quotient: for a binary32 w and an
 * fp16 s, a quotient that is not a half-integer is at least 2^-24 of its magnitude away from one, far more
 * than binary64's rounding error, so the result equals rounding the exact quotient (tests check it).
 */
import { fp16 } from '../float/format.ts';
import { decodeToNumber } from '../float/fast.ts';
import { roundToFormat } from '../float/round.ts';
import { valueFromRational } from '../float/value.ts';
import { Rational } from '../rational.ts';
import type { Int4GroupWeights } from './group-weights.ts';

export type Int4Scheme = 'asym' | 'sym';
export const INT4_SCHEMES: readonly Int4Scheme[] = ['asym', 'sym'];

export interface RtnOptions {
  readonly groupSize: number;
  readonly scheme: Int4Scheme;
}

const MIN_RANGE = Rational.parse('0.00001');

/** Round half to even of a binary64 to an integer-valued number. */
export function rneInt(v: number): number {
  const t = Math.floor(v);
  const r = v - t;
  return r > 0.5 || (r === 0.5 && t % 2 !== 0) ? t + 1 : t;
}

/** fp16 code of the exact rational r > 0, rne; 0 becomes the smallest subnormal, overflow throws. */
function fp16Scale(r: Rational, where: string): number {
  const c = roundToFormat(fp16, valueFromRational(r));
  if (c === 0) return 1;
  if (c >= 0x7c00) throw new RangeError(`${where}: the scale ${r.toNumber()} overflows fp16 (max 65504)`);
  return c;
}

/** Scale code and zero point of one group's values. */
export function rtnGroupParams(vals: ArrayLike<number>, scheme: Int4Scheme, where = 'rtn'): { scale: number; zero: number } {
  let lo = Infinity;
  let hi = -Infinity;
  let amax = 0;
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i] as number;
    if (!Number.isFinite(v)) throw new RangeError(`${where}: weight ${v} is not finite`);
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
    amax = Math.max(amax, Math.abs(v));
  }
  if (scheme === 'sym') {
    const scale = amax === 0 ? 0x3c00 : fp16Scale(Rational.fromNumber(amax).div(Rational.fromInt(7)), where);
    return { scale, zero: 8 };
  }
  let range = Rational.fromNumber(hi).sub(Rational.fromNumber(lo));
  if (range.lt(MIN_RANGE)) range = MIN_RANGE;
  const scale = fp16Scale(range.div(Rational.fromInt(15)), where);
  const zero = Math.min(15, Math.max(0, -rneInt(lo / decodeToNumber(fp16, scale))));
  return { scale, zero };
}

/** q = clamp(rne(v / s) + z, 0, 15) with s the fp16 scale's value. */
export function rtnCode(v: number, scale: number, zero: number): number {
  return Math.min(15, Math.max(0, rneInt(v / decodeToNumber(fp16, scale)) + zero));
}

/** RTN group quantization of W (K×N binary32, row-major [k][n]); the last group may be short. */
export function quantizeRtn(w: Float32Array, k: number, n: number, opts: RtnOptions): Int4GroupWeights {
  if (w.length !== k * n) throw new RangeError(`quantizeRtn: W has ${w.length} entries, expected K·N = ${k * n}`);
  if (!Number.isInteger(opts.groupSize) || opts.groupSize < 1) throw new RangeError(`quantizeRtn: group size must be a positive integer, got ${opts.groupSize}`);
  const gs = opts.groupSize;
  const groups = Math.ceil(k / gs);
  const codes = new Uint8Array(k * n);
  const scales = new Uint16Array(groups * n);
  const zeros = new Uint8Array(groups * n);
  const col = new Float64Array(gs);
  for (let g = 0; g < groups; g++) {
    const r0 = g * gs;
    const rows = Math.min(gs, k - r0);
    for (let c = 0; c < n; c++) {
      for (let i = 0; i < rows; i++) col[i] = w[(r0 + i) * n + c] as number;
      const { scale, zero } = rtnGroupParams(col.subarray(0, rows), opts.scheme, `quantizeRtn (group ${g}, column ${c})`);
      scales[g * n + c] = scale;
      zeros[g * n + c] = zero;
      for (let i = 0; i < rows; i++) codes[(r0 + i) * n + c] = rtnCode(col[i] as number, scale, zero);
    }
  }
  return { k, n, groupSize: gs, codes, scales, zeros };
}
