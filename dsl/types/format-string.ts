/**
 * Format strings for integer bit-vector types, as design files and generator params spell
 * them: `int8`, `uint4`, `int32` (`int<N>`/`uint<N>`, 1 <= N <= 65536). Returns the bit type, or
 * a message saying what was expected.
 */
import { bitsType, isValidWidth, type BitsType } from './bits.ts';

const INT_FORMAT = /^(u?)int([0-9]+)$/;

export function parseIntFormat(text: string): BitsType | string {
  const m = INT_FORMAT.exec(text.trim());
  if (!m) return `'${text}' is not an integer format; expected int<N> or uint<N>, e.g. int8, uint4, int32`;
  const width = Number(m[2]);
  if (!isValidWidth(width)) return `'${text}': width must be from 1 to 65536`;
  return bitsType(width, m[1] !== 'u');
}

export function formatName(t: BitsType): string {
  return `${t.signed ? 'int' : 'uint'}${t.width}`;
}
