/**
 * Integer and fixed-point formats: `width` bits of two's complement (signed) or unsigned code,
 * `intBits` of them above the binary point, so value = code · 2^(intBits − width). int8 is
 * fixed<8,8>. Plain data, shared by the DSL, the golden library, the models and the reports.
 */

/** Widest code any format or signal may have (bits). */
export const MAX_CODE_WIDTH = 65536;

/** An integer or fixed-point format: `width` bits, `intBits` above the binary point. */
export interface FixedFormat {
  readonly kind: 'fixed';
  readonly width: number;
  readonly intBits: number;
  readonly signed: boolean;
}

export function fixedFormat(width: number, intBits: number, signed: boolean): FixedFormat {
  return { kind: 'fixed', width, intBits, signed };
}

export function intFormat(width: number, signed: boolean): FixedFormat {
  return fixedFormat(width, width, signed);
}

/** Bits below the binary point (negative when intBits > width). */
export function fracBitsOf(f: FixedFormat): number {
  return f.width - f.intBits;
}

export function isInteger(f: FixedFormat): boolean {
  return f.intBits === f.width;
}

/** A width a code may have: an integer from 1 to MAX_CODE_WIDTH. */
export function isValidWidth(w: number): boolean {
  return Number.isInteger(w) && w >= 1 && w <= MAX_CODE_WIDTH;
}

/** Inclusive range of `width`-bit codes: [-2^(w-1), 2^(w-1) - 1] signed, [0, 2^w - 1] unsigned. */
export function codeRange(f: { readonly width: number; readonly signed: boolean }): [bigint, bigint] {
  const w = BigInt(f.width);
  return f.signed ? [-(1n << (w - 1n)), (1n << (w - 1n)) - 1n] : [0n, (1n << w) - 1n];
}
