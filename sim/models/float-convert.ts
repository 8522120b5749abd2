/**
 * Transaction model of `fp_convert`, from the golden library only. Latency 0. Three directions:
 * - float -> float (golden `floatConvert`): y = the exact value of a rounded once to `to`. A NaN into
 *   a format without NaN (FP6/FP4; the golden library refuses it) is +0, the generator's documented
 *   policy;
 * - integer -> float (golden `intToFloat`; a fixed-point source is the exact dyadic code · 2^-frac
 *   through `roundToFormat`, the routine `intToFloat` is defined by);
 * - float -> integer (golden `floatToInt`: `rounding`, always saturating, NaN -> 0).
 */
import {
  bitRounder, classifyFloat, convertTable, dyadic, fitsNumber, floatConvert, floatToInt, intToFloat, INVALID_CONVERSION, numberDecoder, numberRounder, roundToFormat,
  type FloatArithOptions, type FloatFormat, type FloatRounding,
} from '../golden/index.ts';
import { VectorSet } from '../vector-set.ts';
import { codeColumn, drawCodes, drawSet, mapCodes1, readCodes, writeCodes, type ColumnDraw } from './float-fast.ts';
import { fracBitsOf, isInteger, type FixedFormat } from '../../formats/index.ts';
import type { Rng } from '../random.ts';
import type { Port } from '../../formats/port.ts';
import type { StimulusRow, TransactionModel } from './types.ts';
import { codeNear, floatCodeSampler, floatPort, goldenOptions, interestingCodes, tieCodes, type SubnormalMode } from './float-common.ts';
import { codeRange, portOf, randomCode } from './ports.ts';
import type { GeneratorParams } from '../../dsl/npu/define.ts';
import type { fpConvertGenerator } from '../../dsl/npu/fp-convert.ts';

/** A conversion endpoint: a float format, or an integer / fixed-point format. */
export type ConvertEndpoint = FloatFormat | FixedFormat;

export interface FpConvertModelParams {
  readonly from: ConvertEndpoint;
  readonly to: ConvertEndpoint;
  readonly saturate: boolean;
  readonly subnormals: SubnormalMode;
  /** Float -> integer rounding; default `rne`. */
  readonly rounding?: FloatRounding;
}


export function fpConvertModel(p: FpConvertModelParams): TransactionModel {
  const { from, to } = p;
  if (from.kind === 'float' && to.kind === 'float') return floatToFloatModel(from, to, p);
  if (from.kind === 'fixed' && to.kind === 'float') return intToFloatModel(from, to, p);
  if (from.kind === 'float' && to.kind === 'fixed' && isInteger(to)) return floatToIntModel(from, to, p);
  throw new RangeError(`fp_convert model: no conversion from ${from.kind} to ${to.kind}${to.kind === 'fixed' ? ' (integer targets only)' : ''}`);
}

const allCodes = (width: number): StimulusRow[] | undefined => (width > 16 ? undefined : Array.from({ length: 2 ** width }, (_, c) => [BigInt(c)]));

function floatToFloatModel(from: FloatFormat, to: FloatFormat, p: FpConvertModelParams): TransactionModel {
  const opts = goldenOptions(p.subnormals, p.saturate);
  const convert = (code: number): number => (to.nanCode === undefined && classifyFloat(from, code) === 'nan' ? 0 : floatConvert(from, to, code, opts));
  const inputs = [floatPort('a', from)];
  const outputs = [floatPort('y', to)];
  const samplers = [floatCodeSampler(from, Math.max(4, to.bias + to.manBits + 2))];
  const randomSet = (count: number, rng: Rng): VectorSet => drawCodes(inputs, samplers, count, rng);
  const fast = floatToFloatStream(from, to, opts, outputs);
  return {
    inputs,
    outputs,
    latency: 0,
    randomSet,
    random: (count: number, rng: Rng) => randomSet(count, rng).toRows(),
    ...(fast !== undefined ? { expectedStream: () => fast } : {}),
    corners: () => [...new Set([...interestingCodes(from), ...tieCodes(from, to)])].map((c) => [BigInt(c)]),
    exhaustive: () => allCodes(from.width),
    expected: (stimulus: readonly StimulusRow[]) => stimulus.map(([a]) => [BigInt(convert(Number(a!)))]),
  };
}

function intToFloatModel(from: FixedFormat, to: FloatFormat, p: FpConvertModelParams): TransactionModel {
  const opts = goldenOptions(p.subnormals, p.saturate);
  const frac = fracBitsOf(from);
  const convert = (n: bigint): number => (frac === 0 ? intToFloat(to, n, opts) : roundToFormat(to, dyadic(n < 0n, n, -frac), opts));
  const [lo, hi] = codeRange(from);
  const inputs = [portOf('a', from)];
  const outputs = [floatPort('y', to)];
  // Half uniform codes, half log-uniform magnitudes; as Numbers (the same draws) for ports of at most 32 bits.
  const random = (count: number, rng: Rng): StimulusRow[] => Array.from({ length: count }, () => [rng.below(2) === 0 ? randomCode(from, rng) : logUniformCode(from, rng)]);
  const randomSet = from.width > 32 ? undefined : intRandomSet(from, inputs);
  const fast = intToFloatStream(from, to, opts, outputs);
  return {
    inputs,
    outputs,
    latency: 0,
    ...(randomSet !== undefined ? { randomSet } : {}),
    random: (count: number, rng: Rng) => (randomSet !== undefined ? randomSet(count, rng).toRows() : random(count, rng)),
    ...(fast !== undefined ? { expectedStream: () => fast } : {}),
    corners: () => intCorners(from, to).map((n) => [n]),
    exhaustive: () => (from.width > 16 ? undefined : Array.from({ length: Number(hi - lo) + 1 }, (_, i) => [lo + BigInt(i)])),
    expected: (stimulus: readonly StimulusRow[]) => stimulus.map(([a]) => [BigInt(convert(a!))]),
  };
}

function floatToIntModel(from: FloatFormat, to: FixedFormat, p: FpConvertModelParams): TransactionModel {
  const opts = { width: to.width, signed: to.signed, rounding: p.rounding ?? 'rne', flushInput: p.subnormals === 'flush' } as const;
  const inputs = [floatPort('a', from)];
  const outputs = [portOf('y', to)];
  const samplers = [floatCodeSampler(from, Math.max(4, to.width + 2))];
  const randomSet = (count: number, rng: Rng): VectorSet => drawCodes(inputs, samplers, count, rng);
  const fast = floatToIntStream(from, opts, outputs);
  return {
    inputs,
    outputs,
    latency: 0,
    randomSet,
    random: (count: number, rng: Rng) => randomSet(count, rng).toRows(),
    ...(fast !== undefined ? { expectedStream: () => fast } : {}),
    corners: () => [...new Set([...interestingCodes(from), ...integerEdgeCodes(from, to)])].sort((a, b) => a - b).map((c) => [BigInt(c)]),
    exhaustive: () => allCodes(from.width),
    expected: (stimulus: readonly StimulusRow[]) => stimulus.map(([a]) => [floatToInt(from, Number(a!), opts)]),
  };
}

/**
 * float -> float expected vectors on Numbers: a table of the exact conversions for sources of at
 * most 16 bits (NaN into a NaN-less target: +0), else each decoded value rounded by
 * `numberRounder` (NaN into a NaN-less target: +0); binary32 sources with normal codes go through
 * the rounder's bit path straight from the code's bits (`bitRounder`).
 */
function floatToFloatStream(from: FloatFormat, to: FloatFormat, opts: FloatArithOptions, outputs: readonly Port[]): ((chunk: VectorSet) => VectorSet) | undefined {
  if (from.width <= 16) {
    const t = convertTable(from, to, opts).map((c) => (c === INVALID_CONVERSION ? 0 : c));
    return (chunk) => mapTable(chunk, outputs, t);
  }
  const dec = numberDecoder(from, opts.flushInput ?? false);
  if (dec === undefined || !fitsNumber(to)) return undefined;
  const one = numberRounder(to, opts);
  const general = (x: number): number => (x !== x && to.nanCode === undefined ? 0 : one(x));
  const bits = isBinary32(from) ? bitRounder(to, opts) : undefined;
  return (chunk) => {
    const n = chunk.length;
    const out = VectorSet.alloc(outputs, n);
    const a = readCodes(chunk, 0, codeColumn(0, n));
    const y = codeColumn(2, n).subarray(0, n);
    if (bits === undefined) for (let i = 0; i < n; i++) y[i] = general(dec(a[i]!));
    else {
      for (let i = 0; i < n; i++) {
        // A normal binary32 code as the words of its binary64 (exponent rebiased by 1023 - 127,
        // significand widened): the bit path reads no memory; the rest decodes.
        const c = a[i]!;
        const e = (c >>> 23) & 0xff;
        const r = e === 0 || e === 0xff ? -1 : bits(((c & 0x80000000) | ((e + 896) << 20) | ((c & 0x7fffff) >>> 3)) >>> 0, (c << 29) >>> 0);
        y[i] = r >= 0 ? r : general(dec(c));
      }
    }
    writeCodes(out, 0, y);
    return out;
  };
}

/** Whether `f` is IEEE binary32. */
function isBinary32(f: FloatFormat): boolean {
  return f.encoding === 'ieee' && f.expBits === 8 && f.manBits === 23 && f.bias === 127;
}

/** Expected vectors of a one-input model by table: y = t[bit pattern of a]. */
function mapTable(chunk: VectorSet, outputs: readonly Port[], t: Uint32Array | Int32Array): VectorSet {
  const n = chunk.length;
  const out = VectorSet.alloc(outputs, n);
  const a = readCodes(chunk, 0, codeColumn(0, n));
  const y = codeColumn(2, n).subarray(0, n);
  for (let i = 0; i < n; i++) y[i] = t[a[i]!]!;
  writeCodes(out, 0, y);
  return out;
}

/** integer (fixed-point) -> float on Numbers, for sources of at most 32 bits: code·2^-frac is exact. */
function intToFloatNumbers(from: FixedFormat, to: FloatFormat, opts: FloatArithOptions): ((code: number) => number) | undefined {
  if (from.width > 32 || !fitsNumber(to)) return undefined;
  const round = numberRounder(to, opts);
  const scale = 2 ** -fracBitsOf(from);
  // +0 for a zero code (golden: an integer zero is +0); x * scale of a non-zero code is never 0.
  return (code) => (code === 0 ? round(0) : round(code * scale));
}

/**
 * integer -> float expected vectors on Numbers: `intToFloatNumbers` per value, through a table of
 * every bit pattern for sources of at most 16 bits.
 */
function intToFloatStream(from: FixedFormat, to: FloatFormat, opts: FloatArithOptions, outputs: readonly Port[]): ((chunk: VectorSet) => VectorSet) | undefined {
  const f = intToFloatNumbers(from, to, opts);
  if (f === undefined) return undefined;
  if (from.width > 16) return (chunk) => mapCodes1(chunk, outputs, f);
  const up = 32 - from.width;
  const t = Uint32Array.from({ length: 2 ** from.width }, (_, bits) => f(from.signed ? (bits << up) >> up : bits));
  return (chunk) => mapTable(chunk, outputs, t);
}

type FloatToIntOptions = { width: number; signed: boolean; rounding: FloatRounding; flushInput: boolean };

/**
 * float -> integer expected vectors on Numbers (targets of at most 32 bits): a table of every code
 * for sources of at most 16 bits, else each decoded value converted (`valueToInt`).
 */
function floatToIntStream(from: FloatFormat, opts: FloatToIntOptions, outputs: readonly Port[]): ((chunk: VectorSet) => VectorSet) | undefined {
  const dec = numberDecoder(from, opts.flushInput);
  if (dec === undefined || opts.width > 32) return undefined;
  const toInt = valueToInt(opts);
  if (from.width <= 16) {
    const t = Int32Array.from({ length: 2 ** from.width }, (_, c) => toInt(dec(c)));
    return (chunk) => mapTable(chunk, outputs, t);
  }
  return (chunk) => {
    const n = chunk.length;
    const out = VectorSet.alloc(outputs, n);
    const a = readCodes(chunk, 0, codeColumn(0, n));
    const y = codeColumn(2, n).subarray(0, n);
    for (let i = 0; i < n; i++) y[i] = toInt(dec(a[i]!));
    writeCodes(out, 0, y);
    return out;
  };
}

/** A binary64 value -> integer (targets of at most 32 bits), as `floatToInt` of the code of that value: round, saturate, NaN -> 0. */
function valueToInt(opts: FloatToIntOptions): (x: number) => number {
  const lo = opts.signed ? -(2 ** (opts.width - 1)) : 0;
  const hi = opts.signed ? 2 ** (opts.width - 1) - 1 : 2 ** opts.width - 1;
  const mode = opts.rounding;
  return (x) => {
    if (x !== x) return 0;
    if (x === Infinity) return hi;
    if (x === -Infinity) return lo;
    const neg = x < 0;
    const a = neg ? -x : x;
    if (a >= 2 ** 53) return neg ? lo : hi; // beyond every target range of at most 32 bits
    let t = Math.floor(a);
    const r = a - t;
    if (r !== 0) {
      const up = mode === 'rne' ? r > 0.5 || (r === 0.5 && t % 2 === 1) : mode === 'rna' ? r >= 0.5 : mode === 'rtz' ? false : mode === 'rup' ? !neg : neg;
      if (up) t += 1;
    }
    const n = neg ? -t : t;
    return n < lo ? lo : n > hi ? hi : n === 0 ? 0 : n;
  };
}

/**
 * Random integer (fixed-point) codes for sources of at most 32 bits, from one rng word per code
 * for widths of at most 14 bits (w0 = w), else two (w0, w = w1): bit 31 of w0 zero: uniform, the
 * low `width` bits of w (as `randomCode`); else a uniformly drawn bit length
 * L = floor(u·(width + 1) / 2^16) with u = bits 29..14 of w0, magnitude 0 for L = 0 else 2^(L-1)
 * plus the low L - 1 bits of w, negative when signed and bit 30 of w0 is 1, clamped to the range
 * (as `logUniformCode`). Values are the ports' bit patterns (two's complement).
 */
function intRandomSet(f: FixedFormat, inputs: readonly Port[]): (count: number, rng: Rng) => VectorSet {
  const draw = new IntCodeSampler(f);
  return (count, rng) => drawSet(inputs, count, rng, draw.words, [{ draw, at: 0 }]);
}

/** The draw of `intRandomSet` (a class with the loop inside: see `ColumnDraw`). */
class IntCodeSampler implements ColumnDraw {
  readonly width: number;
  readonly words: number;
  private readonly signed: boolean;
  private readonly lo: number;
  private readonly hi: number;
  /** 2^k - 1 as int32, by k (bit masks, not `%`: V8's `%` of a uint32 above 2^31 is a floating-point remainder). */
  private readonly low: Int32Array;
  /** 2^k by k (a table: `2 ** k` of a variable k is a Math.pow call). */
  private readonly pow2: Float64Array;

  constructor(f: FixedFormat) {
    this.width = f.width;
    this.words = f.width <= 14 ? 1 : 2;
    this.signed = f.signed;
    this.lo = f.signed ? -(2 ** (f.width - 1)) : 0;
    this.hi = f.signed ? 2 ** (f.width - 1) - 1 : 2 ** f.width - 1;
    this.low = Int32Array.from({ length: 33 }, (_, k) => (2 ** k - 1) | 0);
    this.pow2 = Float64Array.from({ length: 33 }, (_, k) => 2 ** k);
  }

  fill(words: Uint32Array, W: number, at: number, count: number, b: Uint8Array, o: number, stride: number, bytes: number): void {
    const { width: w, signed, lo, hi, low, pow2 } = this;
    const last = this.words - 1;
    const mod = 2 ** w;
    for (let r = at, end = at + count * W; r < end; r += W, o += stride) {
      const w0 = words[r]!;
      const x = words[r + last]!;
      let v: number;
      if (w0 >>> 31 === 0) v = w === 32 ? x : x & low[w]!; // a uniform bit pattern
      else {
        const bits = (((w0 >>> 14) & 0xffff) * (w + 1)) >>> 16;
        const mag = bits === 0 ? 0 : pow2[bits - 1]! + ((x & low[bits - 1]!) >>> 0);
        const n = signed && ((w0 >>> 30) & 1) === 1 ? -mag : mag;
        const c = n < lo ? lo : n > hi ? hi : n;
        v = c < 0 ? c + mod : c;
      }
      b[o] = v;
      if (bytes > 1) {
        b[o + 1] = v >>> 8;
        if (bytes > 2) { b[o + 2] = v >>> 16; if (bytes > 3) b[o + 3] = v >>> 24; }
      }
    }
  }
}

/** A code with a uniformly drawn bit length (so every binade of the target is hit), random sign when signed. */
function logUniformCode(f: FixedFormat, rng: Rng): bigint {
  const [lo, hi] = codeRange(f);
  const bits = rng.below(f.width + 1);
  const mag = bits === 0 ? 0n : (1n << BigInt(bits - 1)) | rng.bigBits(bits - 1);
  const n = f.signed && rng.below(2) === 1 ? -mag : mag;
  return n < lo ? lo : n > hi ? hi : n;
}

/**
 * Integer (fixed-point) codes that exercise rounding into `to`, both signs, inside the source range:
 * 0, ±1, the range ends, 2^k and 2^k ± 1 for every k, and for target values v (a sample of codes
 * plus, for every exponent field, the binade's first two and last codes, and the max) the codes of
 * v, of the midpoint to the next code (a tie; above max: the overflow threshold) and one either side.
 */
function intCorners(from: FixedFormat, to: FloatFormat): bigint[] {
  const [lo, hi] = codeRange(from);
  const frac = fracBitsOf(from);
  const out = new Set<bigint>([0n, lo, lo + 1n, hi, hi - 1n]);
  const add = (n: bigint): void => {
    for (const d of [-1n, 0n, 1n]) for (const s of [n + d, -(n + d)]) if (s >= lo && s <= hi) out.add(s);
  };
  for (let k = 0; k <= from.width; k++) add(1n << BigInt(k));
  for (const c of targetCodesToProbe(to)) {
    const { sig, exp } = magnitudeOfCode(to, c);
    // v = sig·2^exp and the midpoint (2·sig + 1)·2^(exp-1) to the next code, as source codes.
    for (const [s, e] of [[sig, exp], [2n * sig + 1n, exp - 1]] as const) {
      const code = onGrid(s, e + frac);
      if (code !== undefined) add(code);
    }
  }
  return [...out].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Finite non-negative codes of `to` worth probing: a uniform sample, each binade's edges, max. */
function targetCodesToProbe(to: FloatFormat, maxSample = 512): number[] {
  const m2 = 2 ** to.manBits;
  const codes = new Set<number>([0, 1, to.maxCode, to.maxCode - 1, to.minNormalCode, to.minNormalCode - 1]);
  const step = Math.max(1, Math.floor(to.maxCode / maxSample));
  for (let c = 0; c <= to.maxCode; c += step) codes.add(c);
  for (let e = 1; e * m2 <= to.maxCode; e++) for (const c of [e * m2, e * m2 + 1, e * m2 - 1]) codes.add(c);
  return [...codes].filter((c) => c >= 0 && c <= to.maxCode);
}

/** A finite non-negative code as sig · 2^exp (sig includes the hidden bit; subnormals share emin). */
function magnitudeOfCode(f: FloatFormat, code: number): { sig: bigint; exp: number } {
  const m2 = 2 ** f.manBits;
  const expField = Math.floor(code / m2);
  const man = BigInt(code % m2);
  return { sig: expField === 0 ? man : BigInt(m2) + man, exp: Math.max(expField, 1) - f.bias - f.manBits };
}

/** s · 2^e when it is an integer, else undefined. */
function onGrid(s: bigint, e: number): bigint | undefined {
  if (e >= 0) return s << BigInt(e);
  const k = BigInt(-e);
  return (s & ((1n << k) - 1n)) === 0n ? s >> k : undefined;
}

/**
 * Float codes around the integers that matter for an integer target, both signs, with the codes one
 * either side: small integers and the halves and quarters between them, ±2^k and ±2^k ± 1/2 up to
 * beyond the range, and the range ends ± 1/2 and ± 1.
 */
function integerEdgeCodes(from: FloatFormat, to: FixedFormat): number[] {
  const [lo, hi] = codeRange(to).map(Number) as [number, number];
  const xs: number[] = [];
  for (let k = -8; k <= 8; k++) for (const d of [0, 0.25, 0.5, 0.75]) xs.push(k + d);
  for (let k = 0; k <= to.width + 1; k++) for (const d of [-0.5, 0, 0.5]) xs.push(2 ** k + d);
  for (const v of [lo, hi]) for (const d of [-1, -0.5, 0, 0.5, 1]) xs.push(v + d);
  const out = new Set<number>();
  for (const x of xs) {
    const c = codeNear(from, Math.abs(x));
    for (const k of [c - 1, c, c + 1]) {
      if (k < 0 || k >= from.signMask) continue;
      out.add(k);
      out.add(k + from.signMask);
    }
  }
  return [...out];
}

/** The `fp_convert` generator's model, from the params the generator was built with. */
export function fpConvertGeneratorModel(p: GeneratorParams<typeof fpConvertGenerator>): TransactionModel {
  return fpConvertModel(p);
}
