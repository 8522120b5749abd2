import { classifyFloat, decodeFloat } from './decode.ts';
import type { AnyFormat, FloatFormat } from './format.ts';
import { floatConvert } from './convert.ts';
import type { FloatArithOptions } from './arith.ts';
import { valueToNumber } from './value.ts';

/**
 * Fast paths for bulk golden-vector generation. Every table is filled once from the exact path
 * (`decode`, `convert`), so it is identical by construction; the tests also compare every entry.
 * Only formats of at most 16 bits get tables.
 */

const MAX_TABLE_WIDTH = 16;

// Keyed by format identity (two custom formats may share a name) and then by the option set.
const decodeTables = new WeakMap<AnyFormat, Float64Array>();
const convertTables = new WeakMap<AnyFormat, WeakMap<FloatFormat, Map<string, Uint32Array>>>();

function requireSmall(fmt: AnyFormat): void {
  if (fmt.width > MAX_TABLE_WIDTH) throw new RangeError(`${fmt.name}: fast tables need width <= ${MAX_TABLE_WIDTH}`);
}

/**
 * Decode table of a format of at most 16 bits: entry `code` is the exact value as a binary64 (every
 * such value is a binary64; -0, ±Infinity and NaN included).
 */
export function decodeTable(fmt: AnyFormat): Float64Array {
  requireSmall(fmt);
  let t = decodeTables.get(fmt);
  if (!t) {
    t = new Float64Array(2 ** fmt.width);
    for (let c = 0; c < t.length; c++) t[c] = valueToNumber(decodeFloat(fmt, c));
    decodeTables.set(fmt, t);
  }
  return t;
}

/** `valueToNumber(decodeFloat(fmt, code))` by table lookup (formats of at most 16 bits). */
export function decodeToNumber(fmt: AnyFormat, code: number): number {
  const v = decodeTable(fmt)[code];
  if (v === undefined) throw new RangeError(`${fmt.name}: code ${code} out of range`);
  return v;
}

/**
 * Conversion table `from` → `to` under `opts` (source of at most 16 bits), built once per option set.
 * Entries are `INVALID_CONVERSION` where the exact path throws (NaN into a format without NaN).
 */
export function convertTable(from: AnyFormat, to: FloatFormat, opts: FloatArithOptions = {}): Uint32Array {
  requireSmall(from);
  const key = [opts.rounding ?? 'rne', opts.saturate ?? false, opts.flushOutput ?? 'off', opts.flushInput ?? false].join('|');
  let byTo = convertTables.get(from);
  if (!byTo) convertTables.set(from, (byTo = new WeakMap()));
  let byKey = byTo.get(to);
  if (!byKey) byTo.set(to, (byKey = new Map()));
  let t = byKey.get(key);
  if (!t) {
    t = new Uint32Array(2 ** from.width);
    for (let c = 0; c < t.length; c++) t[c] = convertOrInvalid(from, to, c, opts);
    byKey.set(key, t);
  }
  return t;
}

/** Table entry for a conversion the exact path rejects (NaN into a format without NaN). */
export const INVALID_CONVERSION = 0xffffffff;

function convertOrInvalid(from: AnyFormat, to: FloatFormat, code: number, opts: FloatArithOptions): number {
  if (to.nanCode === undefined && classifyFloat(from, code) === 'nan') return INVALID_CONVERSION;
  return floatConvert(from, to, code, opts);
}

/** `floatConvert(from, to, code, opts)` by table lookup; throws the same RangeError for NaN into a NaN-less format. */
export function fastConvert(from: AnyFormat, to: FloatFormat, code: number, opts: FloatArithOptions = {}): number {
  const v = convertTable(from, to, opts)[code];
  if (v === undefined) throw new RangeError(`${from.name}: code ${code} out of range`);
  if (v === INVALID_CONVERSION) throw new RangeError(`${to.name} has no NaN encoding`);
  return v;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Exact binary64 value of an fp32 code (NaN for every NaN code). */
export function fp32ToNumber(code: number): number {
  u32[0] = code;
  return f32[0] as number;
}

/**
 * fp32 code of `Math.fround(x)`: rne, IEEE overflow to ±Inf, signed zeros kept; every NaN gives the
 * canonical fp32 NaN 0x7fc00000 (as `roundToFormat`).
 */
export function numberToFp32(x: number): number {
  if (Number.isNaN(x)) return 0x7fc00000;
  f32[0] = x;
  return u32[0] as number;
}

/**
 * fp32 add and multiply with rne and no flushing or saturation, identical to `add(fp32, …)` /
 * `mul(fp32, …)`: the binary64 sum or product of two binary32 values rounded again to binary32 equals
 * the correctly rounded binary32 result, because 53 >= 2·24 + 2 (double rounding is innocuous;
 * Figueroa, "When is double rounding innocuous?", 1995). Not valid for fma (three operands).
 */
export function fastFp32Add(a: number, b: number): number {
  return numberToFp32(Math.fround(fp32ToNumber(a) + fp32ToNumber(b)));
}
export function fastFp32Mul(a: number, b: number): number {
  return numberToFp32(Math.fround(fp32ToNumber(a) * fp32ToNumber(b)));
}
