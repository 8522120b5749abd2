/**
 * Decodes a port's code into the value its format means, for mismatch reports: integers as
 * decimals, fixed point as exact decimals (code * 2^-frac), floats through the golden library.
 */
import { fracBitsOf, parseFormat } from '../formats/index.ts';
import { Rational, decodeFloat, valueToString } from './golden/index.ts';

export function decodeCode(format: string, code: bigint, width: number): string {
  const f = parseFormat(format);
  if (typeof f === 'string') return code.toString();
  if (f.kind === 'fixed') return Rational.of(code).mulPow2(-fracBitsOf(f)).toString();
  const bits = code < 0n ? code + (1n << BigInt(width)) : code;
  return valueToString(decodeFloat(f, Number(bits)));
}

/** `8'h7f` style hex of the raw pattern. */
export function hexOf(code: bigint, width: number): string {
  return `${width}'h${(code & ((1n << BigInt(width)) - 1n)).toString(16)}`;
}
