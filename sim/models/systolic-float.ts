/**
 * Transaction model of a float `systolic_array` (a, b and accumulator float formats), from the
 * golden float library only: the protocol (stimulus encoding and parsing, expected-row
 * alignment, random transaction shapes) is the integer array's (`arrayModel` in `systolic.ts`);
 * the GEMM is recomputed here step by step in the order `dsl/npu/systolic.ts` documents:
 * - one step: acc' = golden `dotTree([a], [b])` with `acc` as the addend, rounded once to the
 *   accumulator (fused: exact product; unfused: `products` = the accumulator format, so the
 *   product is rounded first), with the subnormal mode's golden options (as the `fp_mac` model);
 * - OS: C[i][j] starts at +0 per GEMM, steps t = 0..K-1 (beat order);
 * - WS: C[m][j] starts at +0, steps t = rows-1 down to 0 (the partial sum enters at grid row 0,
 *   which holds B[rows-1]).
 * Outputs are accumulator codes (NaN results canonical, as the golden rounding gives them).
 * The PE step runs on Numbers (`fastFloatStep`: `macStepNumbers` where every value and product is
 * a binary64, else the golden step on codes); formats of at most 32 bits also get the protocol on
 * Numbers (`randomSet`, `expectedStream`: `systolic-numbers.ts`), checked against these rows with
 * the golden bigint step in test/sim/models/systolic-numbers.test.ts.
 *
 * Stimulus: elements are mostly `floatCodeSampler` codes (exponents near the bias, one in 8 uniform over
 * all codes: NaN, ±Inf, huge and tiny values), one in 16 an interesting code (±0, subnormal
 * edges, max, Inf, NaN payloads, tie operands). `corners()`: every interesting (a, b) pair
 * as a one-term sum and as the three-step sum ab + ab - ab from +0 (doubling, x - x = +0,
 * Inf + Inf, Inf - Inf); long runs of ±max x max (overflow to Inf where the accumulator's range
 * allows), alternating signs, ones, tiny products, -0 products (+0 start: the sum is +0).
 */
import { dotTree, type FloatFormat } from '../golden/index.ts';
import type { Rng } from '../random.ts';
import { macStepNumbers } from './float-fast.ts';
import { floatCodeSampler, floatPort, goldenOptions, interestingCodes, type SubnormalMode } from './float-common.ts';
import type { GeneratorParams } from '../../dsl/npu/define.ts';
import type { systolicGenerator } from '../../dsl/npu/systolic.ts';
import { resolveAccumulator } from './auto-accumulator.ts';
import { systolicModel } from './systolic.ts';
import { arrayModel, arrayPorts, fillMatrix, type ArrayArith, type ArrayShape, type Matrix, type OsGemm, type SystolicModel, type WsTile } from './systolic.ts';

export interface SystolicFloatModelParams extends ArrayShape {
  readonly a: FloatFormat;
  readonly b: FloatFormat;
  readonly accumulator: FloatFormat;
  readonly fused: boolean;
  readonly subnormals: SubnormalMode;
}

export function systolicFloatModel(p: SystolicFloatModelParams): SystolicModel {
  return arrayModel(p, floatArrayArith(p));
}

/** One PE step: the accumulator code after acc + a*b (fused or unfused, golden library). */
export function floatStep(p: Pick<SystolicFloatModelParams, 'a' | 'b' | 'accumulator' | 'fused' | 'subnormals'>): (a: number, b: number, acc: number) => number {
  const opts = { ...goldenOptions(p.subnormals), aFormat: p.a, bFormat: p.b, output: p.accumulator, ...(p.fused ? {} : { products: p.accumulator }) };
  return (a, b, acc) => dotTree([a], [b], { ...opts, addend: { format: p.accumulator, code: acc } });
}

/** `floatStep` on Numbers (`macStepNumbers`) where every value and product is a binary64, else `floatStep`. */
export function fastFloatStep(p: Pick<SystolicFloatModelParams, 'a' | 'b' | 'accumulator' | 'fused' | 'subnormals'>): (a: number, b: number, acc: number) => number {
  return macStepNumbers(p.a, p.b, p.accumulator, p.fused, goldenOptions(p.subnormals)) ?? floatStep(p);
}

/**
 * C = A . B with the documented order: OS (A rows x K, B K x cols) t ascending; WS (A M x rows,
 * B rows x cols) t descending. Both index A[row][t] and B[t][j]; each sum starts at +0.
 */
export function floatGemm(p: SystolicFloatModelParams, A: Matrix, B: Matrix, step = floatStep(p)): bigint[][] {
  const K = B.length;
  const order = Array.from({ length: K }, (_, t) => (p.dataflow === 'output_stationary' ? t : K - 1 - t));
  return A.map((row) => Array.from({ length: p.cols }, (_, j) => {
    let acc = 0;
    for (const t of order) acc = step(Number(row[t]!), Number(B[t]![j]!), acc);
    return BigInt(acc);
  }));
}

/** The float elements, ports, corners and GEMM of `arrayModel` (exported for tests that swap the GEMM). */
export function floatArrayArith(p: SystolicFloatModelParams): ArrayArith {
  const { inputs, outputs } = arrayPorts(p, (n) => floatPort(n, p.a), (n) => floatPort(n, p.b), (n) => ({ ...floatPort(n, p.accumulator), validBy: 'out_valid' }));
  const as = interestingCodes(p.a);
  const bs = interestingCodes(p.b);
  const step = fastFloatStep(p);
  // One word w, then: its top 4 bits 0 (1 in 16): interesting[floor((w mod 2^16)·length / 2^16)];
  // else a `floatCodeSampler` code (one in 8 uniform) from the next word(s).
  const element = (f: FloatFormat, interesting: readonly number[]): ((rng: Rng) => number) => {
    const s = floatCodeSampler(f, 4, 8);
    const len = interesting.length;
    const two = s.words === 2;
    return (rng) => {
      const w = rng.u32();
      if (w >>> 28 === 0) return interesting[((w & 0xffff) * len) >>> 16]!;
      const w0 = rng.u32();
      return s.code(w0, two ? rng.u32() : w0);
    };
  };
  const [randomA, randomB] = [element(p.a, as), element(p.b, bs)];
  // Codes of at most 32 bits are read and written as Numbers by the vector sets.
  const numbers = Math.max(p.a.width, p.b.width, p.accumulator.width) <= 32 ? { numbers: { randomA, randomB, step } } : {};
  return {
    inputs,
    outputs,
    randomA: (rng) => BigInt(randomA(rng)),
    randomB: (rng) => BigInt(randomB(rng)),
    ...numbers,
    gemm: (A, B) => floatGemm(p, A, B, step),
    cornersOs: () => cornersOs(p, as, bs),
    cornersWs: () => cornersWs(p, as, bs),
  };
}

/** Codes of a float format: 1.0 (exponent field = bias, mantissa 0), +max finite, and negation (sign flip). */
function landmarks(f: FloatFormat): { one: bigint; max: bigint; neg: (c: bigint) => bigint } {
  const one = BigInt(f.bias * 2 ** f.manBits);
  return { one, max: BigInt(f.maxCode), neg: (c) => c ^ BigInt(f.signMask) };
}

/** `xs[k]`, wrapping around (chunks of a list padded from its start). */
const at = (xs: readonly number[], k: number): bigint => BigInt(xs[k % xs.length]!);

/** Long-run operand patterns: [A element (i, t), B element (t, j)]. */
function runPatterns(p: SystolicFloatModelParams): [(i: number, t: number) => bigint, (t: number, j: number) => bigint][] {
  const fa = landmarks(p.a);
  const fb = landmarks(p.b);
  const tinyA = BigInt(p.a.minNormalCode);
  const tinyB = BigInt(p.b.minNormalCode - 1);
  return [
    [() => fa.max, () => fb.max],
    [(_i, t) => (t % 2 === 0 ? fa.max : fa.neg(fa.max)), () => fb.max],
    [(i, t) => (t < 3 + i ? fa.max : fa.neg(fa.max)), (t, j) => (j % 2 === 0 ? fb.max : fb.neg(fb.max))],
    [() => fa.one, () => fb.one],
    [() => tinyA, () => tinyB],
    [() => 1n, () => 1n],
    [() => fa.neg(0n), () => fb.one],
    [(i, t) => ((i + t) % 2 === 0 ? fa.max : fa.one), (t, j) => ((t + j) % 3 === 0 ? fb.neg(fb.one) : fb.max)],
  ];
}

function cornersOs(p: SystolicFloatModelParams, as: readonly number[], bs: readonly number[]): OsGemm[] {
  const R = p.rows;
  const C = p.cols;
  const gemms: OsGemm[] = [];
  // Every interesting pair: PE(i, j) of GEMM (x, y) gets as[x*R + i] and bs[y*C + j].
  for (let x = 0; x * R < as.length; x++) {
    for (let y = 0; y * C < bs.length; y++) {
      const a = (i: number): bigint => at(as, x * R + i);
      const b = (j: number): bigint => at(bs, y * C + j);
      gemms.push({ A: fillMatrix(R, 1, (i) => a(i)), B: fillMatrix(1, C, (_t, j) => b(j)) });
      gemms.push({ A: fillMatrix(R, 3, (i, t) => (t === 2 ? a(i) ^ BigInt(p.a.signMask) : a(i))), B: fillMatrix(3, C, (_t, j) => b(j)) });
    }
  }
  const K = p.k > 0 ? Math.min(p.k, 64) : 2 * R + 3;
  for (const [fa, fb] of runPatterns(p)) gemms.push({ A: fillMatrix(R, K, fa), B: fillMatrix(K, C, fb) });
  // Idle cycles inside a GEMM.
  const [fa, fb] = runPatterns(p)[7]!;
  gemms.push({ A: fillMatrix(R, 3, fa), B: fillMatrix(3, C, fb), gaps: [0, 2, 1] });
  return gemms;
}

function cornersWs(p: SystolicFloatModelParams, as: readonly number[], bs: readonly number[]): WsTile[] {
  const R = p.rows;
  const C = p.cols;
  const tiles: WsTile[] = [];
  // Every interesting pair: column j of tile y holds bs[y*C + j] in every row; each a as a
  // row of R equal terms and as a single term at position m mod R (+0 elsewhere).
  for (let y = 0; y * C < bs.length; y++) {
    const A: bigint[][] = [];
    as.forEach((a, m) => {
      A.push(Array.from({ length: R }, () => BigInt(a)));
      A.push(Array.from({ length: R }, (_, t) => (t === m % R ? BigInt(a) : 0n)));
    });
    tiles.push({ B: fillMatrix(R, C, (_t, j) => at(bs, y * C + j)), A });
  }
  // Long-run patterns over a tile: B[t][j] = fb(t, j), rows of A = fa(m, t).
  for (const [fa, fb] of runPatterns(p)) tiles.push({ B: fillMatrix(R, C, fb), A: fillMatrix(4, R, fa), gaps: [0, 0, 2, 1] });
  return tiles;
}

/**
 * The `systolic_array` generator's model: integer/fixed formats, or float formats
 * (`fused` / `subnormals` absent (null) take the generator's defaults, true and ieee). Mixed
 * float/integer formats are the generator's error; refused here too.
 */
export function systolicGeneratorModel(p: GeneratorParams<typeof systolicGenerator>): SystolicModel {
  const { a, b, accumulator } = p;
  if (a.kind === 'fixed' && b.kind === 'fixed') {
    if (accumulator !== 'auto' && accumulator.kind === 'float') throw new RangeError(`systolic_array: integer/fixed a/b need an integer/fixed accumulator or auto, got ${accumulator.name}`);
    // Weight-stationary reduces over the grid's rows; output-stationary over k streamed beats.
    return systolicModel({ ...p, a, b, accumulator: resolveAccumulator({ a, b, accumulator }, p.dataflow === 'weight_stationary' ? p.rows : p.k) });
  }
  if (a.kind !== 'float' || b.kind !== 'float' || accumulator === 'auto' || accumulator.kind !== 'float') {
    throw new RangeError('systolic_array: float a/b need float a, b and accumulator');
  }
  return systolicFloatModel({ rows: p.rows, cols: p.cols, dataflow: p.dataflow, k: p.k, a, b, accumulator, fused: p.fused ?? true, subnormals: p.subnormals ?? 'ieee' });
}
