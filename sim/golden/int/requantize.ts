import { Rational } from '../rational.ts';
import { type IntType, INT32, assertInIntRange, intMax, intMin, intTypeName } from './int-type.ts';
import { roundRational, shiftRightRound } from './rounding.ts';

/**
 * gemmlowp / TFLite fixed-point requantization, exact over bigint. A real multiplier M is held as
 * (multiplier m, shift s) with M ~ m * 2^(s - 31), m an int32 with |m| in [2^30, 2^31) (or 0).
 */
export interface QuantizedMultiplier {
  readonly multiplier: bigint;
  readonly shift: number;
}

/**
 * TFLite `QuantizeMultiplier` on a binary64 multiplier: (q, s) = frexp(M) with |q| in [0.5, 1),
 * m = round_half_away(q * 2^31); m = 2^31 becomes (2^30, s + 1); s < -31 flushes to (0, 0); M = 0
 * gives (0, 0). Negative M gives negative m. Computed exactly from the double's value.
 */
export function quantizeMultiplier(real: number): QuantizedMultiplier {
  if (!Number.isFinite(real)) throw new RangeError(`quantizeMultiplier: multiplier must be finite, got ${real}`);
  if (real === 0) return { multiplier: 0n, shift: 0 };
  const r = Rational.fromNumber(real);
  let shift = r.floorLog2() + 1; // frexp exponent: |r| / 2^shift in [0.5, 1)
  let m = roundRational(r.mulPow2(31 - shift), 'rna');
  if (m === 1n << 31n) {
    m = 1n << 30n;
    shift += 1;
  }
  if (shift < -31) return { multiplier: 0n, shift: 0 };
  return { multiplier: m, shift };
}

/**
 * gemmlowp `SaturatingRoundingDoublingHighMul` (ARM VQRDMULH) for `type` (int32 or int16, any signed
 * width >= 2 works): MIN * MIN gives MAX, otherwise floor((a*b + 2^(n-2)) / 2^(n-1)), i.e. a*b / 2^(n-1)
 * rounded half toward +inf. a and b must be values of the type.
 */
export function srdhm(a: bigint, b: bigint, type: IntType = INT32): bigint {
  if (!type.signed || type.bits < 2) throw new RangeError(`srdhm: needs a signed type of >= 2 bits, got ${intTypeName(type)}`);
  assertInIntRange(a, type, 'srdhm a');
  assertInIntRange(b, type, 'srdhm b');
  if (a === intMin(type) && b === intMin(type)) return intMax(type);
  return shiftRightRound(a * b, type.bits - 1, 'half_up');
}

/**
 * gemmlowp `RoundingDivideByPOT`: x / 2^exponent rounded half away from zero. gemmlowp defines it for
 * int32 x and exponent 0..31; this exact version accepts any integer x and exponent >= 0.
 */
export function roundingDivideByPot(x: bigint, exponent: number): bigint {
  return shiftRightRound(x, exponent, 'rna');
}

/** Requantization flavour: gemmlowp double rounding (TFLite default) or `TFLITE_SINGLE_ROUNDING`. */
export type RequantVariant = 'double_round' | 'single_round';

function checkResult(r: bigint, what: string): bigint {
  assertInIntRange(r, INT32, `${what} result (undefined behaviour in the reference)`);
  return r;
}

/**
 * TFLite `MultiplyByQuantizedMultiplier(int32 x, int32 m, int s)`.
 * - `double_round`: RoundingDivideByPOT(SRDHM(x * 2^max(s,0), m), max(-s,0)); x * 2^max(s,0) must fit
 *   int32 and -s <= 31.
 * - `single_round`: (x*m + 2^(30-s)) >> (31-s) with a floor shift (ties toward +inf); m >= 0, s in [-31, 30].
 * The result must fit int32 (the C reference has undefined behaviour otherwise): RangeError.
 */
export function multiplyByQuantizedMultiplier(x: bigint, multiplier: bigint, shift: number, variant: RequantVariant = 'double_round'): bigint {
  assertInIntRange(x, INT32, 'multiplyByQuantizedMultiplier x');
  assertInIntRange(multiplier, INT32, 'multiplyByQuantizedMultiplier multiplier');
  if (!Number.isInteger(shift)) throw new RangeError(`multiplyByQuantizedMultiplier: shift must be an integer, got ${shift}`);
  if (variant === 'double_round') {
    if (shift < -31) throw new RangeError(`multiplyByQuantizedMultiplier(double_round): shift must be >= -31, got ${shift}`);
    const shifted = x << BigInt(Math.max(shift, 0));
    assertInIntRange(shifted, INT32, `multiplyByQuantizedMultiplier(double_round): x * 2^${shift}`);
    return roundingDivideByPot(srdhm(shifted, multiplier), Math.max(-shift, 0));
  }
  if (multiplier < 0n) throw new RangeError(`multiplyByQuantizedMultiplier(single_round): multiplier must be >= 0, got ${multiplier}`);
  if (shift < -31 || shift > 30) throw new RangeError(`multiplyByQuantizedMultiplier(single_round): shift must be in [-31, 30], got ${shift}`);
  return checkResult(shiftRightRound(x * multiplier, 31 - shift, 'half_up'), 'multiplyByQuantizedMultiplier(single_round)');
}

/**
 * TFLite `MultiplyByQuantizedMultiplier(int64 x, int32 m, int s)` (64-bit-input path, single rounding):
 * m16 = (m + 2^15) >> 16, or 0x7fff when m >= 0x7fff0000; result (x*m16 + 2^(14-s)) >> (15-s), floor shift.
 * Requires -2^47 <= x < 2^47, m >= 0, s in [-31, 7]; the result must fit int32.
 */
export function multiplyByQuantizedMultiplierInt64(x: bigint, multiplier: bigint, shift: number): bigint {
  if (x < -(1n << 47n) || x >= 1n << 47n) throw new RangeError(`multiplyByQuantizedMultiplierInt64: x must be in [-2^47, 2^47), got ${x}`);
  if (multiplier < 0n || multiplier > intMax(INT32)) throw new RangeError(`multiplyByQuantizedMultiplierInt64: multiplier must be in [0, 2^31), got ${multiplier}`);
  if (!Number.isInteger(shift) || shift < -31 || shift > 7) throw new RangeError(`multiplyByQuantizedMultiplierInt64: shift must be in [-31, 7], got ${shift}`);
  const m16 = multiplier >= 0x7fff0000n ? 0x7fffn : (multiplier + (1n << 15n)) >> 16n;
  return checkResult(shiftRightRound(x * m16, 15 - shift, 'half_up'), 'multiplyByQuantizedMultiplierInt64');
}
