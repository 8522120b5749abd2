import { Rational } from '../rational.ts';
import { INT32, INT8, assertInIntRange } from '../int/int-type.ts';
import { saturateInt } from '../int/narrow.ts';
import { shiftRightRound } from '../int/rounding.ts';
import { binary32ToInt32Sat, isBinary32, mulBinary32, roundToBinary32 } from './binary32.ts';

/**
 * Gemmini's `>>` on SInt (its RISC-V vxrm "rne" logic): x / 2^shift rounded half to even. x int32,
 * shift 0..31.
 */
export function gemminiRoundingShift(x: bigint, shift: number): bigint {
  assertInIntRange(x, INT32, 'gemminiRoundingShift x');
  if (!Number.isInteger(shift) || shift < 0 || shift > 31) throw new RangeError(`gemminiRoundingShift: shift must be in 0..31, got ${shift}`);
  return shiftRightRound(x, shift, 'rne');
}

export type GemminiActivation = 'none' | 'relu';

/**
 * Gemmini accumulator read-out with an fp32 acc_scale, in this order: activation on the int32
 * (relu = max(acc, 0)); int32 -> fp32 (rne); fp32 multiply by `scale` (rne); fp32 -> int32 (rne,
 * saturating); clip to int8. `scale` must be exactly a binary32 value.
 */
export function gemminiAccScale(acc: bigint, scale: Rational, activation: GemminiActivation): bigint {
  assertInIntRange(acc, INT32, 'gemminiAccScale acc');
  if (!isBinary32(scale)) throw new RangeError(`gemminiAccScale: scale ${scale} is not exactly a binary32 value`);
  const activated = activation === 'relu' && acc < 0n ? 0n : acc;
  const product = mulBinary32(roundToBinary32(Rational.of(activated)), scale);
  return saturateInt(binary32ToInt32Sat(product), INT8);
}
