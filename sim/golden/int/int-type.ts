/**
 * N-bit two's-complement and unsigned integer types (1 <= N <= 65536, the widest format code,
 * formats/fixed.ts MAX_CODE_WIDTH). Values are `bigint`, exact at every width.
 */
import { isInteger, MAX_CODE_WIDTH, parseFixedFormat } from '../../../formats/index.ts';
export interface IntType {
  readonly bits: number;
  readonly signed: boolean;
}

/** An integer type; throws RangeError unless 1 <= bits <= 65536 (signed types need bits >= 1 too: int1 is {-1, 0}). */
export function intType(bits: number, signed: boolean): IntType {
  if (!Number.isInteger(bits) || bits < 1 || bits > MAX_CODE_WIDTH) throw new RangeError(`intType: bits must be an integer in 1..${MAX_CODE_WIDTH}, got ${bits}`);
  return { bits, signed };
}

export const INT4 = intType(4, true);
export const UINT4 = intType(4, false);
export const INT8 = intType(8, true);
export const UINT8 = intType(8, false);
export const INT16 = intType(16, true);
export const UINT16 = intType(16, false);
export const INT32 = intType(32, true);
export const UINT32 = intType(32, false);
export const INT64 = intType(64, true);

/**
 * Parses `intN` / `uintN` with N in 1..64: the conformance schema's integer type names
 * (test/data/SCHEMA.md); throws RangeError naming the text otherwise.
 */
export function parseIntType(name: string): IntType {
  const f = parseFixedFormat(name);
  if (typeof f === 'string' || !isInteger(f) || f.width > 64) throw new RangeError(`expected an integer type name intN or uintN with N in 1..64, got "${name}"`);
  return intType(f.width, f.signed);
}

export function intTypeName(t: IntType): string {
  return `${t.signed ? '' : 'u'}int${t.bits}`;
}

/** Smallest value: -2^(N-1) signed, 0 unsigned. */
export function intMin(t: IntType): bigint {
  return t.signed ? -(1n << BigInt(t.bits - 1)) : 0n;
}

/** Largest value: 2^(N-1) - 1 signed, 2^N - 1 unsigned. */
export function intMax(t: IntType): bigint {
  return t.signed ? (1n << BigInt(t.bits - 1)) - 1n : (1n << BigInt(t.bits)) - 1n;
}

/** Smallest value with the narrow-range option: -2^(N-1) + 1 for signed types (TFLite weights). */
export function intMinNarrow(t: IntType, narrow: boolean): bigint {
  return narrow ? intMin(t) + 1n : intMin(t);
}

export function inIntRange(x: bigint, t: IntType): boolean {
  return x >= intMin(t) && x <= intMax(t);
}

/** Throws RangeError naming `what` unless x is a value of t. */
export function assertInIntRange(x: bigint, t: IntType, what: string): void {
  if (!inIntRange(x, t)) throw new RangeError(`${what}: ${x} is outside ${intTypeName(t)} [${intMin(t)}, ${intMax(t)}]`);
}
