/**
 * Values are held as exact mathematical integers (`bigint`): a signed value is negative when
 * its sign bit is set. These helpers convert between values and raw bit patterns.
 */
import type { BitsType } from './bits.ts';

export function mask(width: number): bigint {
  return (1n << BigInt(width)) - 1n;
}

/** The `width`-bit pattern of `value` (two's complement for negatives), in [0, 2^width). */
export function toBits(value: bigint, width: number): bigint {
  return value & mask(width);
}

/** The value of a `width`-bit pattern read with the given signedness. */
export function fromBits(bits: bigint, width: number, signed: boolean): bigint {
  const b = bits & mask(width);
  if (signed && (b >> BigInt(width - 1)) === 1n) return b - (1n << BigInt(width));
  return b;
}

/** `value` reduced modulo 2^width into the range of type `t` (what hardware wrap-around gives). */
export function wrapTo(value: bigint, t: BitsType): bigint {
  return fromBits(toBits(value, t.width), t.width, t.signed);
}

/** Floor division by 2^k, exact for negatives (arithmetic right shift). */
export function floorShift(value: bigint, k: number): bigint {
  return value >> BigInt(k);
}
