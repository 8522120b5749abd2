/**
 * One number format type and the one parser/printer of the format strings of design files,
 * generator params, model ports, vector files and reports (README, "Format strings"):
 *
 *   int<N> | uint<N>              N-bit two's-complement / unsigned integer: int8, uint4, int32
 *   fixed<W,I> | ufixed<W,I>      W bits, I above the binary point (I may be <= 0 or > W);
 *                                 value = code · 2^(I − W); int8 is fixed<8,8>
 *   fp32, fp16, bf16, fp8_e4m3, fp8_e5m2, fp8_e4m3fnuz, fp8_e5m2fnuz, fp6_e3m2, fp6_e2m3, fp4_e2m1
 *   e8m0 (MX scale), mxint8 (MX integer element)
 *
 * with 1 <= N, W <= 65536 and |I| <= 65536; whitespace is ignored.
 */
import { fixedFormat, isInteger, isValidWidth, MAX_CODE_WIDTH, type FixedFormat } from './fixed.ts';
import { ALL_FORMATS, lookupAnyFormat, type AnyFormat } from './float.ts';

/** A number format: integer/fixed point, a sign/exponent/mantissa float, or an MX scale/element. */
export type NumberFormat = FixedFormat | AnyFormat;

const INT_FORMAT = /^(u?)int([0-9]+)$/;
const FIXED_FORMAT = /^(u?)fixed<([0-9]+),(-?[0-9]+)>$/;

/** Parses an integer or fixed-point format string; returns it or a message saying what was expected. */
export function parseFixedFormat(text: string): FixedFormat | string {
  const s = text.replace(/\s+/g, '');
  const i = INT_FORMAT.exec(s);
  const f = i ? undefined : FIXED_FORMAT.exec(s);
  const m = i ?? f;
  if (!m) return `'${text}' is not a number format; expected int<N>, uint<N>, fixed<W,I> or ufixed<W,I>, e.g. int8, uint4, fixed<16,4>`;
  const width = Number(m[2]);
  const intBits = f ? Number(f[3]) : width;
  if (!isValidWidth(width)) return `'${text}': width must be from 1 to ${MAX_CODE_WIDTH}`;
  if (Math.abs(intBits) > MAX_CODE_WIDTH) return `'${text}': integer bits must be from -${MAX_CODE_WIDTH} to ${MAX_CODE_WIDTH}`;
  return fixedFormat(width, intBits, m[1] !== 'u');
}

/** Parses any format string (grammar above); returns the format or a message saying what was expected. */
export function parseFormat(text: string): NumberFormat | string {
  const s = text.replace(/\s+/g, '');
  const named = lookupAnyFormat(s);
  if (named !== undefined) return named;
  if (/^u?(int|fixed)/.test(s)) return parseFixedFormat(text);
  return `'${text}' is not a number format; expected int<N>, uint<N>, fixed<W,I>, ufixed<W,I> or one of ${Object.keys(ALL_FORMATS).join(', ')}`;
}

/** The canonical spelling: `int8`, `uint4`, `fixed<16,4>`, `ufixed<8,8>`, `bf16`, `e8m0`. */
export function formatName(f: NumberFormat | { readonly kind: 'bits'; readonly width: number; readonly signed: boolean }): string {
  if (f.kind === 'bits' || (f.kind === 'fixed' && isInteger(f))) return `${f.signed ? 'int' : 'uint'}${f.width}`;
  if (f.kind === 'fixed') return `${f.signed ? 'fixed' : 'ufixed'}<${f.width},${f.intBits}>`;
  return f.name;
}

/** Whether a format's codes read as two's complement (floats and MX codes are unsigned bit patterns). */
export function isSignedCode(f: NumberFormat): boolean {
  return f.kind === 'fixed' ? f.signed : f.kind === 'mxint8';
}

/** Whether `v` is a format descriptor (as parsed params hold them), so `formatName` can print it. */
export function isNumberFormat(v: unknown): v is NumberFormat {
  if (typeof v !== 'object' || v === null || !('kind' in v)) return false;
  if (v.kind === 'fixed') return 'width' in v && 'intBits' in v && 'signed' in v;
  return (v.kind === 'float' || v.kind === 'e8m0' || v.kind === 'mxint8') && 'name' in v && typeof v.name === 'string';
}
