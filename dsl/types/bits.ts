/**
 * Bit-vector types: the only value type of the core IR. A value of type `{ width, signed }`
 * is a two's-complement (signed) or plain binary (unsigned) integer of exactly `width` bits.
 * Quantized types (fixed point, minifloats) are library layers that lower to these.
 */
import { isValidWidth, MAX_CODE_WIDTH, type FixedFormat } from '../../formats/fixed.ts';

export { isValidWidth };
export interface BitsType {
  readonly kind: 'bits';
  readonly width: number;
  readonly signed: boolean;
}

/** The widest vector the DSL accepts; every width rule stays exact in `number` far beyond it. */
export const MAX_WIDTH = MAX_CODE_WIDTH;

export function bitsType(width: number, signed: boolean): BitsType {
  return { kind: 'bits', width, signed };
}

/** The bit-vector type holding a fixed/int format's codes. */
export function codeType(f: FixedFormat): BitsType {
  return bitsType(f.width, f.signed);
}

export function sameType(a: BitsType, b: BitsType): boolean {
  return a.width === b.width && a.signed === b.signed;
}

/** `u8`, `s32`: the compact spelling used in diagnostics and debug dumps. */
export function formatType(t: BitsType): string {
  return `${t.signed ? 'SInt' : 'UInt'}(${t.width})`;
}

/** Smallest value of the type (exact). */
export function minValue(t: BitsType): bigint {
  return t.signed ? -(1n << BigInt(t.width - 1)) : 0n;
}

/** Largest value of the type (exact). */
export function maxValue(t: BitsType): bigint {
  return t.signed ? (1n << BigInt(t.width - 1)) - 1n : (1n << BigInt(t.width)) - 1n;
}

export function fitsType(value: bigint, t: BitsType): boolean {
  return value >= minValue(t) && value <= maxValue(t);
}

/**
 * The narrowest type of the given signedness that holds `value` exactly. Unsigned requires
 * `value >= 0`; zero gets width 1.
 */
export function typeOfConst(value: bigint, signed: boolean): BitsType {
  let width = 1;
  // Bit length by repeated doubling: exact for any bigint, no Math.log2.
  const mag = value < 0n ? -value - 1n : value;
  while ((mag >> BigInt(width)) !== 0n) width++;
  return bitsType(signed ? width + 1 : width, signed);
}
