/**
 * Number-format strings shared by the DSL, generator params, design files and the golden
 * library. A leaf module: plain descriptors, no IR.
 *
 * Grammar (whitespace ignored):
 *   int<N> | uint<N>                 N-bit two's-complement / unsigned integer, e.g. int8, uint4, int32
 *   fixed<W,I> | ufixed<W,I>         W bits in total, I of them above the binary point (I may be <= 0
 *                                    or > W); value = code * 2^(I - W). int8 is fixed<8,8>.
 * with 1 <= N, W <= 65536 and |I| <= 65536.
 */
import { bitsType, isValidWidth, type BitsType } from './bits.ts';

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

/** The bit-vector type holding a format's codes. */
export function codeType(f: FixedFormat): BitsType {
  return bitsType(f.width, f.signed);
}

const INT_FORMAT = /^(u?)int([0-9]+)$/;
const FIXED_FORMAT = /^(u?)fixed<([0-9]+),(-?[0-9]+)>$/;

/** Parses a format string; returns the format or a message saying what was expected. */
export function parseFixedFormat(text: string): FixedFormat | string {
  const s = text.replace(/\s+/g, '');
  const i = INT_FORMAT.exec(s);
  const f = i ? undefined : FIXED_FORMAT.exec(s);
  if (!i && !f) return `'${text}' is not a number format; expected int<N>, uint<N>, fixed<W,I> or ufixed<W,I>, e.g. int8, uint4, fixed<16,4>`;
  const signed = (i ?? f)![1] !== 'u';
  const width = Number((i ?? f)![2]);
  const intBits = f ? Number(f[3]) : width;
  if (!isValidWidth(width)) return `'${text}': width must be from 1 to 65536`;
  if (Math.abs(intBits) > 65536) return `'${text}': integer bits must be from -65536 to 65536`;
  return fixedFormat(width, intBits, signed);
}

/** The canonical spelling: `int8`, `uint4`, `fixed<16,4>`, `ufixed<8,8>`. */
export function formatName(f: FixedFormat | BitsType): string {
  if (f.kind === 'bits') return `${f.signed ? 'int' : 'uint'}${f.width}`;
  if (isInteger(f)) return `${f.signed ? 'int' : 'uint'}${f.width}`;
  return `${f.signed ? 'fixed' : 'ufixed'}<${f.width},${f.intBits}>`;
}
