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
  classifyFloat, convertTable, dyadic, fitsNumber, floatConvert, floatToInt, intToFloat, INVALID_CONVERSION, numberDecoder, numberRounder, roundToFormat,
  type FloatArithOptions, type FloatFormat, type FloatRounding,
} from '../golden/index.ts';
import { VectorSet } from '../vector-set.ts';
import { drawCodes, drawSet, mapCodes1 } from './float-fast.ts';
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
  const fast = floatToFloatNumbers(from, to, opts);
  return {
    inputs,
    outputs,
    latency: 0,
    randomSet,
    random: (count: number, rng: Rng) => randomSet(count, rng).toRows(),
    ...(fast !== undefined ? { expectedStream: () => (chunk: VectorSet) => mapCodes1(chunk, outputs, fast) } : {}),
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
  const fast = intToFloatNumbers(from, to, opts);
  return {
    inputs,
    outputs,
    latency: 0,
    ...(randomSet !== undefined ? { randomSet } : {}),
    random: (count: number, rng: Rng) => (randomSet !== undefined ? randomSet(count, rng).toRows() : random(count, rng)),
    ...(fast !== undefined ? { expectedStream: () => (chunk: VectorSet) => mapCodes1(chunk, outputs, fast) } : {}),
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
  const fast = floatToIntNumbers(from, opts);
  return {
    inputs,
    outputs,
    latency: 0,
    randomSet,
    random: (count: number, rng: Rng) => randomSet(count, rng).toRows(),
    ...(fast !== undefined ? { expectedStream: () => (chunk: VectorSet) => mapCodes1(chunk, outputs, fast) } : {}),
    corners: () => [...new Set([...interestingCodes(from), ...integerEdgeCodes(from, to)])].sort((a, b) => a - b).map((c) => [BigInt(c)]),
    exhaustive: () => allCodes(from.width),
    expected: (stimulus: readonly StimulusRow[]) => stimulus.map(([a]) => [floatToInt(from, Number(a!), opts)]),
  };
}

/**
 * float -> float on Numbers: a table of the exact conversions for sources of at most 16 bits
 * (NaN into a NaN-less target: +0), else the decoded value rounded by `numberRounder`.
 */
function floatToFloatNumbers(from: FloatFormat, to: FloatFormat, opts: FloatArithOptions): ((code: number) => number) | undefined {
  if (from.width <= 16) {
    const t = convertTable(from, to, opts);
    return (code) => (t[code] === INVALID_CONVERSION ? 0 : t[code]!);
  }
  const dec = numberDecoder(from, opts.flushInput ?? false);
  if (dec === undefined || !fitsNumber(to)) return undefined;
  const round = numberRounder(to, opts);
  return (code) => {
    const x = dec(code);
    return x !== x && to.nanCode === undefined ? 0 : round(x);
  };
}

/** integer (fixed-point) -> float on Numbers, for sources of at most 32 bits: code·2^-frac is exact. */
function intToFloatNumbers(from: FixedFormat, to: FloatFormat, opts: FloatArithOptions): ((code: number) => number) | undefined {
  if (from.width > 32 || !fitsNumber(to)) return undefined;
  const round = numberRounder(to, opts);
  const scale = 2 ** -fracBitsOf(from);
  // +0 for a zero code (golden: an integer zero is +0); x * scale of a non-zero code is never 0.
  return (code) => (code === 0 ? round(0) : round(code * scale));
}

/** float -> integer on Numbers (targets of at most 32 bits), as `floatToInt`: round, saturate, NaN -> 0. */
function floatToIntNumbers(from: FloatFormat, opts: { width: number; signed: boolean; rounding: FloatRounding; flushInput: boolean }): ((code: number) => number) | undefined {
  const dec = numberDecoder(from, opts.flushInput);
  if (dec === undefined || opts.width > 32) return undefined;
  const lo = opts.signed ? -(2 ** (opts.width - 1)) : 0;
  const hi = opts.signed ? 2 ** (opts.width - 1) - 1 : 2 ** opts.width - 1;
  const mode = opts.rounding;
  return (code) => {
    const x = dec(code);
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
 * Random integer (fixed-point) codes for sources of at most 32 bits, two rng words (w0, w1) per
 * code: bit 31 of w0 zero: uniform, the top `width` bits of w1 (as `randomCode`); else a uniformly
 * drawn bit length L = floor((w0 mod 2^16)·(width + 1) / 2^16), magnitude 0 for L = 0 else 2^(L-1)
 * plus the top L - 1 bits of w1, negative when signed and bit 30 of w0 is 1, clamped to the range
 * (as `logUniformCode`). Values are the ports' bit patterns (two's complement).
 */
function intRandomSet(f: FixedFormat, inputs: readonly Port[]): (count: number, rng: Rng) => VectorSet {
  const w = f.width;
  const mod = 2 ** w;
  const lo = f.signed ? -(2 ** (w - 1)) : 0;
  const hi = f.signed ? 2 ** (w - 1) - 1 : mod - 1;
  const value = (words: Uint32Array, r: number): number => {
    const w0 = words[r]!;
    const w1 = words[r + 1]!;
    if (w0 >>> 31 === 0) return w1 >>> (32 - w); // a uniform bit pattern
    const bits = ((w0 & 0xffff) * (w + 1)) >>> 16;
    const mag = bits === 0 ? 0 : 2 ** (bits - 1) + (bits > 1 ? w1 >>> (33 - bits) : 0);
    const n = f.signed && ((w0 >>> 30) & 1) === 1 ? -mag : mag;
    const c = n < lo ? lo : n > hi ? hi : n;
    return c < 0 ? c + mod : c;
  };
  return (count, rng) => drawSet(inputs, count, rng, 2, [value]);
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
