import { Rational } from '../rational.ts';

/**
 * An ac_fixed / ap_fixed type: `width` bits in total, `intBits` of them above the binary point (may be
 * <= 0 or > width), two's complement when `signed`. A value is an integer code times the quantum
 * q = 2^(intBits - width); codes span [-2^(width-1), 2^(width-1) - 1] signed, [0, 2^width - 1] unsigned.
 */
export interface FixedType {
  readonly width: number;
  readonly intBits: number;
  readonly signed: boolean;
}

/** A fixed-point value: `code * 2^(intBits - width)` of `type`; `code` is within the type's code range. */
export interface FixedValue {
  readonly type: FixedType;
  readonly code: bigint;
}

/** Validates and builds a type: width an integer >= 1, intBits any integer. */
export function fixedType(width: number, intBits: number, signed: boolean): FixedType {
  if (!Number.isInteger(width) || width < 1) throw new RangeError(`fixedType: width must be an integer >= 1, got ${width}`);
  if (!Number.isInteger(intBits)) throw new RangeError(`fixedType: intBits must be an integer, got ${intBits}`);
  return { width, intBits, signed };
}

/** Number of bits below the binary point (width - intBits; negative when intBits > width). */
export function fracBits(t: FixedType): number {
  return t.width - t.intBits;
}

/** The quantum 2^(intBits - width). */
export function quantum(t: FixedType): Rational {
  return Rational.pow2(-fracBits(t));
}

export function codeMin(t: FixedType): bigint {
  return t.signed ? -(1n << BigInt(t.width - 1)) : 0n;
}

export function codeMax(t: FixedType): bigint {
  return t.signed ? (1n << BigInt(t.width - 1)) - 1n : (1n << BigInt(t.width)) - 1n;
}

/** Builds a value from a code; RangeError if the code is outside the type. */
export function fixedValue(type: FixedType, code: bigint): FixedValue {
  if (code < codeMin(type) || code > codeMax(type)) {
    throw new RangeError(`fixedValue: code ${code} is outside ${fixedTypeName(type)} [${codeMin(type)}, ${codeMax(type)}]`);
  }
  return { type, code };
}

/** The exact real value code * 2^(intBits - width). */
export function fixedToRational(v: FixedValue): Rational {
  return Rational.of(v.code).mulPow2(-fracBits(v.type));
}

/** `ac_fixed<W,I,S>` spelling, for messages. */
export function fixedTypeName(t: FixedType): string {
  return `ac_fixed<${t.width},${t.intBits},${t.signed}>`;
}
