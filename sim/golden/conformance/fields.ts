import { Rational } from '../rational.ts';
import { type IntType, parseIntType } from '../int/int-type.ts';
import { ConformanceInputError, type JsonValue } from './types.ts';

/*
 * Typed readers for a line's `params` / `inputs`, in the SCHEMA's JSON encodings. Each throws
 * ConformanceInputError naming the field and what was expected.
 */
type Obj = Record<string, JsonValue>;

function get(o: Obj, key: string, where: string): JsonValue {
  const v = o[key];
  if (v === undefined) throw new ConformanceInputError(`${where}.${key}: missing`);
  return v;
}

function describe(v: JsonValue): string {
  return JSON.stringify(v);
}

/** SCHEMA int: a JSON number if |x| < 2^53, otherwise a decimal string. */
export function asInt(v: JsonValue, what: string): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) {
    const b = BigInt(v);
    if (b > -(1n << 53n) && b < 1n << 53n) throw new ConformanceInputError(`${what}: ${v} must be written as a number (|x| < 2^53)`);
    return b;
  }
  throw new ConformanceInputError(`${what}: expected an integer (number, or decimal string beyond 2^53), got ${describe(v)}`);
}

export function int(o: Obj, key: string, where: string): bigint {
  return asInt(get(o, key, where), `${where}.${key}`);
}

/** An int field that must lie in [lo, hi] and is returned as a number (for shifts, exponents, k). */
export function smallInt(o: Obj, key: string, where: string, lo: number, hi: number): number {
  const v = int(o, key, where);
  if (v < BigInt(lo) || v > BigInt(hi)) throw new ConformanceInputError(`${where}.${key}: expected an integer in [${lo}, ${hi}], got ${v}`);
  return Number(v);
}

/** SCHEMA real: a decimal or p/q string. */
export function asReal(v: JsonValue, what: string): Rational {
  if (typeof v !== 'string') throw new ConformanceInputError(`${what}: expected a real as a string, got ${describe(v)}`);
  try {
    return Rational.parse(v);
  } catch {
    throw new ConformanceInputError(`${what}: expected a real like "-1.25" or "8/51", got ${describe(v)}`);
  }
}

export function real(o: Obj, key: string, where: string): Rational {
  return asReal(get(o, key, where), `${where}.${key}`);
}

/** A real field that must be > 0. */
export function positiveReal(o: Obj, key: string, where: string): Rational {
  const r = real(o, key, where);
  if (r.sign() <= 0) throw new ConformanceInputError(`${where}.${key}: expected a real > 0, got ${r}`);
  return r;
}

export function bool(o: Obj, key: string, where: string): boolean {
  const v = get(o, key, where);
  if (typeof v !== 'boolean') throw new ConformanceInputError(`${where}.${key}: expected true or false, got ${describe(v)}`);
  return v;
}

export function oneOf<T extends string>(o: Obj, key: string, where: string, allowed: readonly T[]): T {
  const v = get(o, key, where);
  const found = allowed.find((a) => a === v);
  if (found === undefined) throw new ConformanceInputError(`${where}.${key}: expected one of ${allowed.join(' ')}, got ${describe(v)}`);
  return found;
}

/** A dtype name restricted to `allowed`, parsed to an IntType. */
export function dtype(o: Obj, key: string, where: string, allowed: readonly string[]): IntType {
  return parseIntType(oneOf(o, key, where, allowed));
}

export function object(o: Obj, key: string, where: string): Obj {
  const v = get(o, key, where);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ConformanceInputError(`${where}.${key}: expected an object, got ${describe(v)}`);
  return v;
}

/** Checks that `o` has exactly `keys`. */
export function exactKeys(o: Obj, keys: readonly string[], where: string): void {
  const missing = keys.filter((k) => !(k in o));
  const extra = Object.keys(o).filter((k) => !keys.includes(k));
  if (missing.length > 0 || extra.length > 0) {
    const parts = [missing.length > 0 ? `missing ${missing.join(', ')}` : '', extra.length > 0 ? `unexpected ${extra.join(', ')}` : ''];
    throw new ConformanceInputError(`${where}: ${parts.filter((p) => p !== '').join('; ')} (expected exactly: ${keys.join(', ')})`);
  }
}

export function intList(o: Obj, key: string, where: string): bigint[] {
  const v = get(o, key, where);
  if (!Array.isArray(v)) throw new ConformanceInputError(`${where}.${key}: expected a list of integers, got ${describe(v)}`);
  return v.map((x, i) => asInt(x, `${where}.${key}[${i}]`));
}

export function intMatrix(o: Obj, key: string, where: string): bigint[][] {
  const v = get(o, key, where);
  if (!Array.isArray(v) || v.length === 0) throw new ConformanceInputError(`${where}.${key}: expected a non-empty list of lists of integers`);
  const rows = v.map((row, i) => {
    if (!Array.isArray(row)) throw new ConformanceInputError(`${where}.${key}[${i}]: expected a list of integers, got ${describe(row)}`);
    return row.map((x, j) => asInt(x, `${where}.${key}[${i}][${j}]`));
  });
  const n = rows[0]?.length ?? 0;
  if (rows.some((r) => r.length !== n)) throw new ConformanceInputError(`${where}.${key}: rows differ in length`);
  return rows;
}

/** SCHEMA int encoding of a result. */
export function encodeInt(x: bigint): JsonValue {
  return x > -(1n << 53n) && x < 1n << 53n ? Number(x) : x.toString();
}
