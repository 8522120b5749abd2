/**
 * Transaction model of `fp_mul` (golden library): y = the exact product of the decoded operands
 * rounded once to `out` (golden `exactMul` + `roundToFormat`; for one format this is `floatMul`).
 * Latency = pipeline_stages (the generator's register stages; 0 = combinational).
 */
import { decodeFlushed, exactMul, fitsNumber, numberDecoder, numberRounder, productIsExact, roundToFormat, type FloatArithOptions, type FloatFormat } from '../golden/index.ts';
import type { Port } from '../../formats/port.ts';
import { VectorSet } from '../vector-set.ts';
import { codeColumn, drawCodes, readCodes, writeCodes } from './float-fast.ts';
import type { Rng } from '../random.ts';
import type { StimulusRow, TransactionModel } from './types.ts';
import { floatCodeSampler, floatPort, goldenOptions, interestingCodes, type SubnormalMode } from './float-common.ts';
import type { GeneratorParams } from '../../dsl/npu/define.ts';
import type { fpMulGenerator } from '../../dsl/npu/fp-mul.ts';

export interface FpMulModelParams {
  readonly a: FloatFormat;
  readonly b: FloatFormat;
  readonly out: FloatFormat;
  readonly subnormals: SubnormalMode;
  /** The generator's register stages = latency in cycles; absent = 0. */
  readonly pipeline_stages?: number;
}

export function fpMulModel(p: FpMulModelParams): TransactionModel {
  const opts = goldenOptions(p.subnormals);
  const flush = opts.flushInput ?? false;
  const mul = (a: number, b: number): number => roundToFormat(p.out, exactMul(decodeFlushed(p.a, a, flush), decodeFlushed(p.b, b, flush)), opts);
  const inputs = [floatPort('a', p.a), floatPort('b', p.b)];
  const outputs = [floatPort('y', p.out)];
  /** a, b: `floatCodeSampler` codes (half uniform), a's words first in each row. */
  const samplers = [floatCodeSampler(p.a), floatCodeSampler(p.b)];
  const randomSet = (count: number, rng: Rng): VectorSet => drawCodes(inputs, samplers, count, rng);
  const fast = mulStream(p, opts, outputs);
  return {
    inputs,
    outputs,
    latency: p.pipeline_stages ?? 0,
    randomSet,
    random: (count: number, rng: Rng) => randomSet(count, rng).toRows(),
    ...(fast !== undefined ? { expectedStream: () => fast } : {}),
    corners: () => {
      const rows: bigint[][] = [];
      for (const a of interestingCodes(p.a)) for (const b of interestingCodes(p.b)) rows.push([BigInt(a), BigInt(b)]);
      return rows;
    },
    exhaustive: () => {
      if (p.a.width + p.b.width > 16) return undefined;
      const rows: bigint[][] = [];
      for (let a = 0; a < 2 ** p.a.width; a++) for (let b = 0; b < 2 ** p.b.width; b++) rows.push([BigInt(a), BigInt(b)]);
      return rows;
    },
    expected: (stimulus: readonly StimulusRow[]) => stimulus.map(([a, b]) => [BigInt(mul(Number(a!), Number(b!)))]),
  };
}

/**
 * The expected vectors on Numbers (`golden/float/fast-number.ts`): y = round(a·b) of the decoded
 * operands (exact product), the operand codes read a column at a time; for operands of at most 16
 * bits together, a table of every pair's result filled once by the same arithmetic. Undefined
 * when the product is not exact in binary64.
 */
function mulStream(p: FpMulModelParams, opts: FloatArithOptions, outputs: readonly Port[]): ((chunk: VectorSet) => VectorSet) | undefined {
  const flush = opts.flushInput ?? false;
  const [da, db] = [numberDecoder(p.a, flush), numberDecoder(p.b, flush)];
  if (!da || !db || !productIsExact(p.a, p.b) || !fitsNumber(p.out)) return undefined;
  const one = numberRounder(p.out, opts);
  let table: Uint32Array | undefined;
  if (p.a.width + p.b.width <= 16) {
    table = new Uint32Array(2 ** (p.a.width + p.b.width));
    for (let a = 0; a < 2 ** p.a.width; a++) for (let b = 0; b < 2 ** p.b.width; b++) table[a * 2 ** p.b.width + b] = one(da(a) * db(b));
  }
  const shift = p.b.width;
  const int = mulIntegers(p, opts);
  return (chunk) => {
    const n = chunk.length;
    const out = VectorSet.alloc(outputs, n);
    const [a, b, y] = [readCodes(chunk, 0, codeColumn(0, n)), readCodes(chunk, 1, codeColumn(1, n)), codeColumn(2, n).subarray(0, n)];
    if (table !== undefined) {
      for (let i = 0; i < n; i++) y[i] = table[(a[i]! << shift) | b[i]!]!;
    } else {
      // One pass (each pass over a column costs a few ns per vector here): the integer path, else
      // decode, multiply, round.
      for (let i = 0; i < n; i++) {
        const c = int === undefined ? -1 : int(a[i]!, b[i]!);
        y[i] = c >= 0 ? c : one(da(a[i]!) * db(b[i]!));
      }
    }
    writeCodes(out, 0, y);
    return out;
  };
}

/**
 * y = round(a·b) in int32 arithmetic for normal operands of IEEE formats whose significand product
 * fits 31 bits (bf16, fp16), round to nearest even (the model's only mode), where the result is a
 * normal in range, an overflow or far below the smallest subnormal (zero), else -1 (the caller's
 * Number path): the significands (hidden bit set) multiplied with
 * Math.imul (exact), the leading bit found from the product's top, the low bits dropped with round
 * and sticky bits, the biased exponents added; a carry out of the mantissa steps the exponent field.
 * Undefined when it does not apply (the output keeps fewer mantissa bits than the product has, as
 * the path assumes; saturation and other modes go to the Number path).
 */
function mulIntegers(p: FpMulModelParams, opts: FloatArithOptions): ((a: number, b: number) => number) | undefined {
  const { a: fa, b: fb, out } = p;
  const [ma, mb, mo] = [fa.manBits, fb.manBits, out.manBits];
  if (fa.encoding !== 'ieee' || fb.encoding !== 'ieee' || ma + mb + 2 > 31 || ma + mb <= mo) return undefined;
  if ((opts.rounding ?? 'rne') !== 'rne' || (opts.saturate ?? false)) return undefined;
  const [topA, topB] = [2 ** fa.expBits - 1, 2 ** fb.expBits - 1]; // Inf/NaN exponent fields
  // Small integers (`| 0`): a double-typed constant put the loop on floating-point arithmetic.
  const [manA, manB] = [(2 ** ma - 1) | 0, (2 ** mb - 1) | 0];
  const bias = out.bias - fa.bias - fb.bias;
  const eTop = Math.floor(out.maxCode / 2 ** mo);
  const maxCode = out.maxCode;
  const [sa, sb, so] = [fa.width - 1, fb.width - 1, out.width - 1];
  // Round to nearest even without saturation: Inf, or max for formats without Inf and NaN, else NaN.
  const overflow = (neg: boolean): number => {
    const sign = neg ? out.signMask : 0;
    if (out.infCode !== undefined) return sign + out.infCode;
    return out.encoding === 'none' ? sign + out.maxCode : out.nanCode!;
  };
  const [posOverflow, negOverflow] = [overflow(false), overflow(true)];
  const negZero = out.encoding === 'fnuz' ? 0 : out.signMask;
  return (a, b) => {
    const ea = (a >>> ma) & topA;
    const eb = (b >>> mb) & topB;
    if (ea === 0 || ea === topA || eb === 0 || eb === topB) return -1;
    const prod = Math.imul((a & manA) | (manA + 1), (b & manB) | (manB + 1));
    const carry = prod >>> (ma + mb + 1); // 1 when the product of the significands is at least 2
    const s = ma + mb + carry - mo; // dropped bits (>= 1)
    const keep = prod >>> s;
    const rest = prod & ((1 << s) - 1);
    const half = 1 << (s - 1);
    const e = ea + eb + bias + carry;
    if (e < 1 || e > eTop) {
      // Beyond max finite from the top binade up: the overflow code; below half the smallest
      // subnormal (e <= -mo - 1): the zero of the sign (flushing gives the same); else -1.
      const neg = ((a >>> sa) ^ (b >>> sb)) === 1;
      if (e > eTop) return neg ? negOverflow : posOverflow;
      return e <= -mo - 1 ? (neg ? negZero : 0) : -1;
    }
    // keep holds the hidden bit: (e - 1)·2^mo + keep = e·2^mo + mantissa. Round to nearest even
    // without a branch (rest > half, or a tie with keep odd): on random operands the branch
    // mispredicted about half the time and cost as much as the rest of the path.
    const mag = ((e - 1) << mo) + keep + (((half - rest) >>> 31) | ((rest === half ? 1 : 0) & keep));
    if (mag > maxCode) return -1;
    return ((((a >>> sa) ^ (b >>> sb)) << so) | mag) >>> 0;
  };
}

/** The `fp_mul` generator's model, from the params the generator was built with. */
export function fpMulGeneratorModel(p: GeneratorParams<typeof fpMulGenerator>): TransactionModel {
  return fpMulModel(p);
}
