import { classifyFloat, decodeFloat, joinCode } from './decode.ts';
import { fp16, type AnyFormat, type FloatFormat } from './format.ts';
import { floatConvert } from './convert.ts';
import type { FloatArithOptions } from './arith.ts';
import { valueToNumber } from './value.ts';
import { FLOAT_ROUNDINGS, overflowsToMax } from './rounding.ts';
import type { FloatRoundOptions } from './round.ts';

/**
 * Fast paths for bulk golden-vector generation. Every table is filled once from the exact path
 * (`decode`, `convert`), so it is identical by construction; the tests also compare every entry.
 * Only formats of at most 16 bits get tables.
 */

const MAX_TABLE_WIDTH = 16;

// Keyed by format identity (two custom formats may share a name) and then by the option set.
const decodeTables = new WeakMap<AnyFormat, Float64Array>();
const convertTables = new WeakMap<AnyFormat, WeakMap<FloatFormat, Map<number, Uint32Array>>>();

// A small integer per option set: string keys made the lookup dominate the per-call cost.
function optionKey(opts: FloatArithOptions): number {
  const mode = FLOAT_ROUNDINGS.indexOf(opts.rounding ?? 'rne');
  const flushOut = ['off', 'before-rounding', 'after-rounding'].indexOf(opts.flushOutput ?? 'off');
  return mode * 12 + flushOut * 4 + (opts.saturate ? 2 : 0) + (opts.flushInput ? 1 : 0);
}

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
  const key = optionKey(opts);
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

const f64View = new DataView(new ArrayBuffer(8));

/** floor(log2 |x|) of a finite non-zero binary64, exactly (Math.log2 can be off by one). */
function exponentOf(x: number): number {
  f64View.setFloat64(0, x);
  const field = (f64View.getUint32(0) >>> 20) & 0x7ff;
  if (field !== 0) return field - 1023;
  return exponentOf(x * 2 ** 64) - 64; // binary64 subnormal
}

/**
 * `roundToFormat(fmt, valueFromNumber(x), opts)` in binary64 arithmetic, for when the exact value is
 * already a binary64 `x` (a decoded code, or a sum/product known to be exact in binary64). Identical
 * to the exact path: |x| / 2^q is computed exactly (a power-of-two scaling to fewer than 2^(m+2)),
 * and floor and the remainder comparison of such a value are exact. Only `flushOutput: 'off'`.
 */
export function roundNumberToFormat(fmt: FloatFormat, x: number, opts: FloatRoundOptions = {}): number {
  if (opts.flushOutput !== undefined && opts.flushOutput !== 'off') throw new RangeError('roundNumberToFormat: flushing is not supported');
  const mode = opts.rounding ?? 'rne';
  const neg = x < 0 || Object.is(x, -0);
  const sign = neg ? fmt.signMask : 0;
  if (Number.isNaN(x)) {
    if (fmt.nanCode === undefined) throw new RangeError(`${fmt.name} has no NaN encoding`);
    return fmt.nanCode;
  }
  const overflow = (toMax: boolean): number => {
    if (toMax || fmt.encoding === 'none') return sign + fmt.maxCode;
    if (fmt.infCode !== undefined) return sign + fmt.infCode;
    return fmt.nanCode as number;
  };
  if (x === 0) return neg && fmt.encoding !== 'fnuz' ? fmt.signMask : 0;
  if (!Number.isFinite(x)) return overflow(opts.saturate ?? false);
  const a = Math.abs(x);
  const m = fmt.manBits;
  const e = exponentOf(a);
  const q = Math.max(e, fmt.emin) - m;
  const scaled = q >= -1000 ? a * 2 ** -q : a * 2 ** 1000 * 2 ** (-q - 1000);
  let t = Math.floor(scaled);
  const r = scaled - t;
  if (r !== 0) {
    const up =
      mode === 'rne' ? r > 0.5 || (r === 0.5 && t % 2 === 1)
      : mode === 'rna' ? r >= 0.5
      : mode === 'rtz' ? false
      : mode === 'rup' ? !neg
      : neg;
    if (up) t += 1;
  }
  if (t === 0) return neg && fmt.encoding !== 'fnuz' ? fmt.signMask : 0;
  const maxSig = 2 ** m + (fmt.maxCode % 2 ** m); // top-binade significand of max finite, as a number
  if (e > fmt.emax || (q === fmt.emax - m && t > maxSig)) return overflow((opts.saturate ?? false) || overflowsToMax(mode, neg));
  const hidden = 2 ** m;
  if (t < hidden) return joinCode(fmt, neg, 0, t);
  const carry = t >= 2 * hidden ? 1 : 0;
  return joinCode(fmt, neg, q + m + fmt.bias + carry, carry ? 0 : t - hidden);
}

/**
 * fp16 add and multiply (any rounding mode, saturation as options, no flushing), identical to
 * `floatAdd(fp16, …)` / `floatMul(fp16, …)`: the binary64 sum of two fp16 values is exact (it spans at
 * most 2^16..2^-24, 41 bits) and so is the product (22 bits), so one rounding of it is the correct one.
 */
export function fastFp16Add(a: number, b: number, opts: FloatRoundOptions = {}): number {
  const t = decodeTable(fp16);
  const x = t[a];
  const y = t[b];
  if (x === undefined || y === undefined) throw new RangeError(`fastFp16Add: code out of range`);
  let s = x + y;
  // binary64 gives x + (-x) = +0; under rdn IEEE wants -0 for every zero sum except (+0) + (+0).
  if (s === 0 && opts.rounding === 'rdn' && !(Object.is(x, 0) && Object.is(y, 0))) s = -0;
  return roundNumberToFormat(fp16, s, opts);
}
export function fastFp16Mul(a: number, b: number, opts: FloatRoundOptions = {}): number {
  const t = decodeTable(fp16);
  const x = t[a];
  const y = t[b];
  if (x === undefined || y === undefined) throw new RangeError(`fastFp16Mul: code out of range`);
  return roundNumberToFormat(fp16, x * y, opts);
}
