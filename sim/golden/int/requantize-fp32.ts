/**
 * Float-scale requantization as onnxruntime's CPU kernels do it (MLAS `MlasRequantizeOutput`,
 * used by QLinearMatMul, QLinearConv and QGemm), which is also Gemmini's fp32 `acc_scale` with a
 * zero point and a clamp range:
 *
 *   f = fp32(acc)                      int32 -> binary32, round to nearest even
 *   p = fp32(f * multiplier)           binary32 multiply, round to nearest even (IEEE overflow to ±Inf)
 *   y = clamp(rne(p) + zeroPoint, lo, hi)
 *
 * rne(p) rounds to the nearest integer, ties to even (SSE `cvtps2dq` under the default MXCSR, NEON
 * `fcvtns`, C `nearbyintf`). MLAS clamps p to [qmin - zp, qmax - zp] in float before converting
 * (SSE2, AVX2, AVX-512) or saturates the converted integer (NEON): both equal the formula above,
 * because rounding is monotone and the bounds are integers. Subnormals cannot change the result:
 * every subnormal product rounds to 0 with or without flushing.
 *
 * Domain: acc an int32, the multiplier a finite binary32 value (a NaN or infinite multiplier makes
 * the kernels disagree with one another, so it is rejected), zeroPoint and [lo, hi] integers with
 * lo <= hi, |values| < 2^31.
 */
import { floatMul, fp32, intToFloat, floatToInt, fp32ToNumber, numberToFp32 } from '../float/index.ts';

/** Round to the nearest integer, ties to even, of a binary64 |x| < 2^52 (exact). */
export function rneToInteger(x: number): number {
  const r = Math.round(x); // ties toward +Inf
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Throws unless `m` is a finite binary32 value. */
export function checkFp32Multiplier(m: number, what: string): void {
  if (!Number.isFinite(m) || Math.fround(m) !== m) throw new RangeError(`${what}: the multiplier must be a finite binary32 value, got ${m}`);
}

/**
 * The requantization above in binary64 arithmetic. Exact: fp32(acc) is Math.fround of an exact
 * integer; the product of two binary32 values is exact in binary64 (48 significant bits), so
 * Math.fround rounds it once; the clamp bounds are exact small integers. Tested equal to
 * `requantizeFp32Exact` (the golden float library's code-level operations).
 */
export function requantizeFp32(acc: number, multiplier: number, zeroPoint: number, lo: number, hi: number): number {
  const p = Math.fround(Math.fround(acc) * multiplier);
  const lower = lo - zeroPoint;
  const upper = hi - zeroPoint;
  const c = p < lower ? lower : p > upper ? upper : p;
  return rneToInteger(c) + zeroPoint;
}

/**
 * The same requantization through the golden float library's exact, code-level operations (no JS
 * float arithmetic): `intToFloat`, `floatMul` on fp32 codes, `floatToInt` (rne, saturating to
 * int32). `multiplierCode` is the binary32 bit pattern.
 */
export function requantizeFp32Exact(acc: bigint, multiplierCode: number, zeroPoint: bigint, lo: bigint, hi: bigint): bigint {
  const f = intToFloat(fp32, acc);
  const p = floatMul(fp32, f, multiplierCode);
  const r = floatToInt(fp32, p, { width: 32, signed: true, rounding: 'rne' });
  const v = r + zeroPoint;
  return v < lo ? lo : v > hi ? hi : v;
}

/** binary32 bit pattern of a binary32 value (re-exported for callers holding Float32Array values). */
export function fp32CodeOf(x: number): number {
  return numberToFp32(x);
}

/** binary32 value of a bit pattern. */
export function fp32ValueOf(code: number): number {
  return fp32ToNumber(code);
}
