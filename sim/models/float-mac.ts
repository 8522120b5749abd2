/**
 * Transaction model of `fp_mac` (golden `dotTree` with one lane and the accumulator as addend):
 * fused: acc' = round(acc + a·b) with the exact product; unfused: the product rounded to the
 * accumulator format first (`products` = accumulator). `clear` replaces acc by +0 this cycle.
 * Expected row i is the accumulator after stimulus row i (latency 1 + pipeline_stages: the
 * product stage delays the same sequence by a cycle).
 *
 * Corner rows (see `corners`): interesting operand pairs, overflow runs, subnormal runs, and
 * programs built so that the exact sum is known: round-to-nearest-even ties into the accumulator
 * in both directions, the overflow threshold (max + half an ulp, which RNE sends to Inf) and its
 * neighbours, exact cancellation to +0, and -0 + -0 = -0 where the accumulator can hold -0.
 */
import { classifyFloat, decodeFloat, dotTree, dyadic, exactAdd, exactMul, negate, roundToFormat, type FloatFormat, type FloatValue } from '../golden/index.ts';
import type { Rng } from '../random.ts';
import type { StimulusRow, TransactionModel } from './types.ts';
import { VectorSet } from '../vector-set.ts';
import type { Port } from '../../formats/port.ts';
import { codeColumn, drawSet, macStepNumbers, readCodes, ThresholdBit, writeCodes } from './float-fast.ts';
import { codeNear, flipSign, floatCodeSampler, floatPort, goldenOptions, interestingCodes, type SubnormalMode } from './float-common.ts';
import type { GeneratorParams } from '../../dsl/npu/define.ts';
import type { fpMacGenerator } from '../../dsl/npu/fp-mac.ts';

export interface FpMacModelParams {
  readonly a: FloatFormat;
  readonly b: FloatFormat;
  readonly accumulator: FloatFormat;
  readonly fused: boolean;
  readonly subnormals: SubnormalMode;
  /** The generator's product register stages (0 or 1); absent = 0. */
  readonly pipeline_stages?: number;
}

export function fpMacModel(p: FpMacModelParams): TransactionModel {
  const opts = goldenOptions(p.subnormals);
  const acc = p.accumulator;
  const step = (a: number, b: number, base: number): number =>
    dotTree([a], [b], { ...opts, aFormat: p.a, bFormat: p.b, output: acc, addend: { format: acc, code: base }, ...(p.fused ? {} : { products: acc }) });
  const inputs: Port[] = [floatPort('a', p.a), floatPort('b', p.b), { name: 'en', width: 1, signed: false, format: 'uint1' }, { name: 'clear', width: 1, signed: false, format: 'uint1' }];
  const outputs = [floatPort('acc_out', acc)];
  const randomSet = macRandomSet(p, inputs);
  const fast = macStepNumbers(p.a, p.b, acc, p.fused, opts);
  return {
    inputs,
    outputs,
    latency: 1 + (p.pipeline_stages ?? 0),
    randomSet,
    random: (count: number, rng: Rng) => randomSet(count, rng).toRows(),
    ...(fast !== undefined ? { expectedStream: () => macStream(outputs, fast) } : {}),
    corners: () => [
      ...pairRows(p),
      ...overflowRunRows(p),
      ...tinyRows(p),
      ...tieRows(p),
      ...overflowThresholdRows(p),
      ...cancellationRows(p),
      ...negativeZeroRows(p, step),
    ],
    exhaustive: () => {
      if (p.a.width + p.b.width > 16) return undefined;
      const rows: bigint[][] = [];
      let i = 0;
      // Every operand pair once; a clear every 8 rows so accumulations of varied products are checked too.
      for (let a = 0; a < 2 ** p.a.width; a++) for (let b = 0; b < 2 ** p.b.width; b++) rows.push([BigInt(a), BigInt(b), 1n, i++ % 8 === 0 ? 1n : 0n]);
      return rows;
    },
    expected: (stimulus: readonly StimulusRow[]) => {
      let accCode = 0;
      return stimulus.map(([a, b, en, clear]) => {
        const base = clear === 1n ? 0 : accCode;
        accCode = en === 1n ? step(Number(a!), Number(b!), base) : base;
        return [BigInt(accCode)];
      });
    },
  };
}

/**
 * Random rows: a, b `floatCodeSampler` codes (one in 8 uniform), then one control word c: en = 0
 * when its top 3 bits are 0 (one time in 8), clear = 1 when c mod 2^16 < 10923 (about one time in 6).
 */
function macRandomSet(p: FpMacModelParams, inputs: readonly Port[]): (count: number, rng: Rng) => VectorSet {
  const [sa, sb] = [floatCodeSampler(p.a, 4, 8), floatCodeSampler(p.b, 4, 8)];
  const c = sa.words + sb.words;
  const columns = [{ draw: sa, at: 0 }, { draw: sb, at: sa.words }, { draw: new ThresholdBit(29, 7, 1, 0), at: c }, { draw: new ThresholdBit(0, 0xffff, 10923, 1), at: c }];
  return (count, rng) => drawSet(inputs, count, rng, c + 1, columns);
}

/**
 * The expected stream of a MAC step on Numbers: the operand codes read a column at a time, the
 * accumulator code carried from chunk to chunk (reset: +0); en = 0 holds, clear = 1 starts from
 * +0 this cycle.
 */
function macStream(outputs: readonly Port[], step: Step): (chunk: VectorSet) => VectorSet {
  let acc = 0;
  return (chunk) => {
    const n = chunk.length;
    const out = VectorSet.alloc(outputs, n);
    const [a, b, y] = [readCodes(chunk, 0, codeColumn(0, n)), readCodes(chunk, 1, codeColumn(1, n)), codeColumn(2, n).subarray(0, n)];
    const en = chunk.bytes(2);
    const clear = chunk.bytes(3);
    let x = acc;
    for (let i = 0, e = en.start, c = clear.start; i < n; i++, e += en.stride, c += clear.stride) {
      const base = clear.view[c] === 1 ? 0 : x;
      x = en.view[e] === 1 ? step(a[i]!, b[i]!, base) : base;
      y[i] = x;
    }
    writeCodes(out, 0, y);
    acc = x;
    return out;
  };
}

type Row = bigint[];
type Step = (a: number, b: number, base: number) => number;

/**
 * Every interesting pair from a cleared accumulator (p), then the same pair again (p + p: doubling,
 * a tie only where p itself is inexact in the accumulator; Inf + Inf), then the negated pair
 * ((p + p) - p, back to about p — not an x - x cancellation, see `cancellationRows`; Inf - Inf).
 */
function pairRows(p: FpMacModelParams): Row[] {
  const rows: Row[] = [];
  for (const a of interestingCodes(p.a)) for (const b of interestingCodes(p.b)) {
    rows.push([BigInt(a), BigInt(b), 1n, 1n], [BigInt(a), BigInt(b), 1n, 0n], [BigInt(flipSign(p.a, a)), BigInt(b), 1n, 0n]);
  }
  return rows;
}

/** Long runs of the largest products: overflow to Inf (or NaN for fn accumulators); en = 0 holds. */
function overflowRunRows(p: FpMacModelParams): Row[] {
  const rows: Row[] = [];
  for (const a of [p.a.maxCode, p.a.maxCode + p.a.signMask]) {
    rows.push([BigInt(a), BigInt(p.b.maxCode), 1n, 1n]);
    for (let i = 0; i < 40; i++) rows.push([BigInt(a), BigInt(p.b.maxCode), i % 7 === 3 ? 0n : 1n, 0n]);
  }
  return rows;
}

/** Tiny products: subnormal accumulations. */
function tinyRows(p: FpMacModelParams): Row[] {
  const rows: Row[] = [[1n, 1n, 1n, 1n]];
  for (let i = 0; i < 10; i++) rows.push([BigInt(p.a.minNormalCode), BigInt(p.b.minNormalCode - 1), 1n, 0n]);
  return rows;
}

// ---- Programs: accumulator steps of known exact value, turned into operand codes ----

/** One enabled step adding the product ±sig·2^exp (after a clear when `clear`). */
interface Add {
  readonly sig: bigint;
  readonly exp: number;
  readonly neg?: boolean;
  readonly clear?: boolean;
}

const bitLength = (x: bigint): number => x.toString(2).length;

/** Code of sig·2^exp (sig > 0) when that is exactly a normal value of `f`. */
function normalCode(f: FloatFormat, sig: bigint, exp: number): number | undefined {
  const v = dyadic(false, sig, exp);
  const c = roundToFormat(f, v, { saturate: true });
  if (classifyFloat(f, c) !== 'normal') return undefined;
  return exactAdd(decodeFloat(f, c), negate(v)).kind === 'zero' ? c : undefined;
}

/**
 * Normal codes a, b with a·b = sa·sb·2^exp exactly, a carrying sa and b carrying sb; the split of
 * the exponent nearest an even one is tried first (operands near the middle of their ranges).
 */
function splitPair(p: FpMacModelParams, sa: bigint, sb: bigint, exp: number): [number, number] | undefined {
  const [la, lb] = [bitLength(sa), bitLength(sb)];
  if (la > p.a.manBits + 1 || lb > p.b.manBits + 1) return undefined;
  const [lo, hi] = [p.a.emin - la + 1, p.a.emax - la + 1];
  const centre = Math.floor((exp + la + lb - 2) / 2) - la + 1;
  const order = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i).sort((x, y) => Math.abs(x - centre) - Math.abs(y - centre) || x - y);
  for (const ea of order) {
    const a = normalCode(p.a, sa, ea);
    const b = a === undefined ? undefined : normalCode(p.b, sb, exp - ea);
    if (a !== undefined && b !== undefined) return [a, b];
  }
  return undefined;
}

/** Normal operand codes whose exact product is sig·2^exp (sig > 0), trying every factorisation of sig's odd part. */
function productCodes(p: FpMacModelParams, sig: bigint, exp: number): [number, number] | undefined {
  let s = sig;
  let e = exp;
  while ((s & 1n) === 0n) { s >>= 1n; e++; }
  if (bitLength(s) > p.a.manBits + p.b.manBits + 2) return undefined;
  for (let d = 1n; d * d <= s; d += 2n) {
    if (s % d !== 0n) continue;
    const pair = splitPair(p, s / d, d, e) ?? splitPair(p, d, s / d, e);
    if (pair !== undefined) return pair;
  }
  return undefined;
}

/** Rows of a program, or undefined when some product is not a product of two normal operand codes. */
function programRows(p: FpMacModelParams, steps: readonly Add[]): Row[] | undefined {
  const rows: Row[] = [];
  for (const s of steps) {
    const pair = productCodes(p, s.sig, s.exp);
    if (pair === undefined) return undefined;
    rows.push([BigInt(s.neg === true ? flipSign(p.a, pair[0]) : pair[0]), BigInt(pair[1]), 1n, s.clear === true ? 1n : 0n]);
  }
  return rows;
}

/** The program and its mirror image (every product negated). */
function bothSigns(p: FpMacModelParams, steps: readonly Add[]): Row[] {
  const mirrored = steps.map((s) => ({ ...s, neg: s.neg !== true }));
  return [...(programRows(p, steps) ?? []), ...(programRows(p, mirrored) ?? [])];
}

/**
 * Exact round-to-nearest-even ties of the accumulator sum, both directions, with V = 2^k, u = ulp(V)
 * = 2^(k-m), h = u/2 in the accumulator format (m mantissa bits):
 *   V + h        tie between V (even) and V + u: stays V          (to-even-down)
 *   V + u        exact, odd last bit
 *   V + u + h    tie between V + u and V + 2u: rounds up to V + 2u (to-even-up)
 *   V + 2u - h   tie between V + u and V + 2u: stays V + 2u       (to-even-up, approached from above)
 *   V + u - h    tie between V and V + u: goes to V               (to-even-down, by a subtraction)
 * and at the top of the binade, 2V - h (tie: stays 2V) and 2V - u + h (tie: carries up to 2V).
 * All products are powers of two of normal operands, exact and normal in the accumulator, so the
 * unfused product rounding and the flush modes leave them unchanged: the ties are the same in every
 * mode. k is the exponent nearest 0 for which 2V and h are products of normal operand powers of two
 * and h is normal in the accumulator; fp8_e4m3 operands into fp32 need k >= 12 (their products
 * span 2^-12 .. 2^16). Combinations whose operand exponent span is below m + 2 get no rows.
 */
function tieRows(p: FpMacModelParams): Row[] {
  const m = p.accumulator.manBits;
  const lo = Math.max(p.a.emin + p.b.emin + m + 1, p.accumulator.emin + m + 1);
  const hi = Math.min(p.a.emax + p.b.emax - 1, p.accumulator.emax - 1);
  if (lo > hi) return [];
  const k = Math.min(hi, Math.max(lo, 0));
  const pow = (e: number, neg = false, clear = false): Add => ({ sig: 1n, exp: e, neg, clear });
  const [V, V2, u, h] = [k, k + 1, k - m, k - m - 1];
  return [
    ...bothSigns(p, [pow(V, false, true), pow(h), pow(u), pow(h), pow(h, true), pow(u, true), pow(h, true)]),
    ...bothSigns(p, [pow(V2, false, true), pow(h, true), pow(u, true), pow(h)]),
  ];
}

/**
 * The overflow threshold of the accumulator (max finite M, ulp u at M, h = u/2): M + h is an exact
 * tie that RNE sends to Inf (M's last bit is odd). Programs, both signs: M built from the top down
 * out of products carrying at most max(a, b) mantissa + 1 bits each (every partial sum is a prefix
 * of M's bits, exact), then + h (tie to Inf), or + h·(1 - 2^-(q+1)) (just below: stays M), or
 * + h·(1 + 2^-q) (just above: Inf, no tie), with q the widest operand mantissa (unfused: at most
 * the accumulator's, so that product is exact in it). Plus, where M + h factors into two operand
 * significands (fp16: 63·1040 = 65520; bf16: 511 = 7·73), M + h as one product from a cleared
 * accumulator: a sum tie when fused; when unfused the product rounding is the tie (to Inf) and the
 * sum is +0 + Inf. Unreachable (no rows) where the operands cannot make a product near M: fp16 or
 * fp8 into fp32 or bf16 (products below 2^33 against 2^128).
 */
function overflowThresholdRows(p: FpMacModelParams): Row[] {
  const acc = p.accumulator;
  const m = acc.manBits;
  const base = acc.emax - m;
  const w = Math.max(p.a.manBits, p.b.manBits) + 1;
  const toMax: Add[] = [];
  for (let top = m + 1; top > 0; top -= w) {
    const low = Math.max(0, top - w);
    const chunk = (acc.maxSig >> BigInt(low)) & ((1n << BigInt(top - low)) - 1n);
    if (chunk !== 0n) toMax.push({ sig: chunk, exp: base + low, clear: toMax.length === 0 });
  }
  const q = p.fused ? w - 1 : Math.min(w - 1, m);
  const rows: Row[] = [];
  for (const last of [
    { sig: 1n, exp: base - 1 },
    { sig: (1n << BigInt(q + 1)) - 1n, exp: base - 2 - q },
    { sig: (1n << BigInt(q)) + 1n, exp: base - 1 - q },
  ]) rows.push(...bothSigns(p, [...toMax, last]));
  rows.push(...bothSigns(p, [{ sig: 2n * acc.maxSig + 1n, exp: base - 1, clear: true }]));
  return rows;
}

/**
 * Exact cancellation x + (-x) = +0 (RNE), from a cleared accumulator: (a, b) then (-a, b), and
 * (-a, b) then (a, b), for products exact in the accumulator (so the accumulator holds x exactly):
 * subnormal operands and subnormal products where the mode keeps them, ones, extremes.
 */
function cancellationRows(p: FpMacModelParams): Row[] {
  const flush = p.subnormals === 'flush';
  const acc = p.accumulator;
  const as = [1, p.a.minNormalCode - 1, p.a.minNormalCode, codeNear(p.a, 1), codeNear(p.a, 1.5), p.a.maxCode];
  const bs = [codeNear(p.b, 1), 1, p.b.maxCode];
  const rows: Row[] = [];
  for (const a of new Set(as)) for (const b of new Set(bs)) {
    if (flush && (classifyFloat(p.a, a) === 'subnormal' || classifyFloat(p.b, b) === 'subnormal')) continue;
    const x = exactMul(decodeFloat(p.a, a), decodeFloat(p.b, b));
    if (!exactIn(acc, x) || (flush && classifyFloat(acc, roundToFormat(acc, x)) === 'subnormal')) continue;
    const na = flipSign(p.a, a);
    rows.push([BigInt(a), BigInt(b), 1n, 1n], [BigInt(na), BigInt(b), 1n, 0n], [BigInt(na), BigInt(b), 1n, 1n], [BigInt(a), BigInt(b), 1n, 0n]);
  }
  return rows;
}

/** Whether finite non-zero `x` is exactly a finite value of `f`. */
function exactIn(f: FloatFormat, x: FloatValue): boolean {
  if (x.kind !== 'finite') return false;
  const c = roundToFormat(f, x, { saturate: true });
  return exactAdd(decodeFloat(f, c), negate(x)).kind === 'zero';
}

/**
 * -0 in the accumulator, then -0 + (-0·1) = -0, an en = 0 hold, and -0 + (+0·1) = +0. The first of
 * these that the model's own step confirms reaches -0 from a cleared accumulator:
 *   - one product -2^(emin-m-2), a quarter of the smallest subnormal: underflows to -0 (fused);
 *   - -(1 + 2^-t)·2^e then +2^e, emin <= e < emin + t: the sum -2^(e-t) is below the smallest
 *     normal and flushes to -0 (flush modes; t = the widest operand mantissa, at most the accumulator's);
 *   - any interesting negative pair that underflows to -0 (e.g. via subnormal operands).
 * Unreachable (no rows) when every non-zero sum is exact and kept: any unfused MAC with IEEE
 * subnormals (the rounded product is an accumulator value, +0 + x = x, and a non-zero exact sum of
 * two accumulator values is never below the smallest subnormal); fused IEEE MACs whose products
 * are all multiples of the accumulator's smallest subnormal, so every sum is too (fp16 or fp8 into
 * fp32 or bf16, bf16·fp8 into fp32, fp8_e4m3·fp8_e4m3 into fp16); flush MACs whose non-zero sums
 * never fall below the smallest normal (fp16 or fp8 operands into fp32 or bf16: multiples of 2^-48).
 */
function negativeZeroRows(p: FpMacModelParams, step: Step): Row[] {
  const acc = p.accumulator;
  const t = Math.min(Math.max(p.a.manBits, p.b.manBits), acc.manBits);
  const one = BigInt(codeNear(p.b, 1));
  const nonZero = (f: FloatFormat, c: number): boolean => ['normal', 'subnormal'].includes(classifyFloat(f, c));
  const pairs = interestingCodes(p.a).filter((a) => nonZero(p.a, a)).flatMap((a) => interestingCodes(p.b).filter((b) => nonZero(p.b, b)).map((b) => [BigInt(a), BigInt(b), 1n, 1n]));
  const candidates = [
    programRows(p, [{ sig: 1n, exp: acc.emin - acc.manBits - 2, neg: true, clear: true }]),
    ...Array.from({ length: t }, (_, i) => programRows(p, [{ sig: (1n << BigInt(t)) + 1n, exp: acc.emin + i - t, neg: true, clear: true }, { sig: 1n, exp: acc.emin + i }])),
    ...pairs.map((r) => [r]),
  ];
  const reach = candidates.find((rows) => rows !== undefined && finalCode(rows, step) === acc.signMask);
  if (reach === undefined) return [];
  // fnuz operands have no -0 (their sign-bit zero is NaN): -0·1 is then replaced by the reaching step again.
  const minusZero = classifyFloat(p.a, p.a.signMask) === 'zero' ? [BigInt(p.a.signMask), one, 1n, 0n] : [...reach[reach.length - 1]!.slice(0, 2), 1n, 0n];
  return [...reach, minusZero, [...minusZero.slice(0, 2), 0n, 0n], [0n, one, 1n, 0n]];
}

/** The accumulator after `rows` (a, b, en, clear) from reset. */
function finalCode(rows: readonly Row[], step: Step): number {
  let acc = 0;
  for (const [a, b, en, clear] of rows) {
    const base = clear === 1n ? 0 : acc;
    acc = en === 1n ? step(Number(a), Number(b), base) : base;
  }
  return acc;
}

/** The `fp_mac` generator's model, from the params the generator was built with. */
export function fpMacGeneratorModel(p: GeneratorParams<typeof fpMacGenerator>): TransactionModel {
  return fpMacModel(p);
}
