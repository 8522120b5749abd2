/**
 * Decodes a port's code into the value its format means, for mismatch reports: integers as
 * decimals, fixed point as exact decimals (code * 2^-frac), floats through the golden library.
 */
import { parseFixedFormat, fracBitsOf } from '../dsl/types/format-string.ts';
import { Rational, anyFormat, decodeFloat, valueToString } from './golden/index.ts';

export function decodeCode(format: string, code: bigint, width: number): string {
  const f = parseFixedFormat(format);
  if (typeof f !== 'string') return Rational.of(code).mulPow2(-fracBitsOf(f)).toString();
  const ff = tryFloat(format);
  if (ff) {
    const bits = code < 0n ? code + (1n << BigInt(width)) : code;
    return valueToString(decodeFloat(ff, Number(bits)));
  }
  return code.toString();
}

function tryFloat(name: string): ReturnType<typeof anyFormat> | undefined {
  try {
    return anyFormat(name);
  } catch {
    return undefined;
  }
}

/** `8'h7f` style hex of the raw pattern. */
export function hexOf(code: bigint, width: number): string {
  return `${width}'h${(code & ((1n << BigInt(width)) - 1n)).toString(16)}`;
}
