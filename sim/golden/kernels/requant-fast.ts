/*
 * gemmlowp / TFLite requantization in plain Numbers (no bigint), for the kernels' inner loops.
 * Every intermediate is an integer below 2^53 in magnitude, so binary64 arithmetic is exact: the
 * 32x32 -> 64-bit product is split into 16-bit halves and carried as hi * 2^32 + lo.
 * Contracts match sim/golden/int/requantize.ts; the test suite checks them equal on random and edge cases.
 */

const TWO32 = 4294967296;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * floor((a*b + 2^(t-1)) / 2^t) for int32 a and b and t in 1..62, when the result is known to fit int32
 * (a*b/2^t rounded half toward +inf).
 */
export function roundedMulShift(a: number, b: number, t: number): number {
  const bh = b >> 16; // b = bh * 2^16 + bl with bl in [0, 2^16)
  const bl = b & 0xffff;
  const p = a * bh; // |p| < 2^46
  const ph = Math.floor(p / 65536);
  let hi = ph; // a*b = hi * 2^32 + lo
  let lo = (p - ph * 65536) * 65536 + a * bl; // |lo| < 2^48
  if (t <= 32) lo += 2 ** (t - 1);
  else hi += 2 ** (t - 33);
  const carry = Math.floor(lo / TWO32);
  hi += carry;
  lo -= carry * TWO32; // now 0 <= lo < 2^32
  if (t >= 32) return Math.floor(hi / 2 ** (t - 32));
  return hi * 2 ** (32 - t) + Math.floor(lo / 2 ** t);
}

/** SaturatingRoundingDoublingHighMul for int32 Numbers. */
export function srdhmFast(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  return roundedMulShift(a, b, 31);
}

/** RoundingDivideByPOT for int32 x and exponent 0..31: x / 2^exponent rounded half away from zero. */
export function roundingDivideByPotFast(x: number, exponent: number): number {
  const pow = 2 ** exponent;
  const floor = Math.floor(x / pow);
  const remainder = x - floor * pow;
  const threshold = Math.floor((pow - 1) / 2) + (x < 0 ? 1 : 0);
  return floor + (remainder > threshold ? 1 : 0);
}

/**
 * MultiplyByQuantizedMultiplier(int32 x, int32 m, s) in Numbers. `double_round`: x * 2^max(s,0) must
 * fit int32 and s >= -31; `single_round`: m >= 0, s in [-31, 30]; the result must fit int32 (as in the
 * C reference). Inputs are not validated here: this is the inner-loop version of the checked bigint one.
 */
export function multiplyByQuantizedMultiplierFast(x: number, multiplier: number, shift: number, singleRound: boolean): number {
  if (singleRound) return roundedMulShift(x, multiplier, 31 - shift);
  const left = shift > 0 ? shift : 0;
  return roundingDivideByPotFast(srdhmFast(x * 2 ** left, multiplier), shift > 0 ? 0 : -shift);
}
