/**
 * Transaction model of `fp_dot` (golden `dotTree`): exact products, pairwise tree (adjacent pairs
 * left to right, odd last element passes up), each sum rounded to the accumulator format
 * (`sums` = accumulator), final rounding to the accumulator. Rows are independent; latency =
 * pipeline_stages (registers change no rounding point, only when y appears).
 */
import { addToOdd, dotTree, fitsNumber, numberDecoder, numberRounder, productIsExact, type FloatArithOptions, type FloatFormat } from '../golden/index.ts';
import { VectorSet } from '../vector-set.ts';
import { codeWriter, drawCodes } from './float-fast.ts';
import type { Rng } from '../random.ts';
import type { StimulusRow, TransactionModel } from './types.ts';
import { flipSign, floatCodeSampler, floatPort, goldenOptions, interestingCodes, type SubnormalMode } from './float-common.ts';
import type { GeneratorParams } from '../../dsl/npu/define.ts';
import type { fpDotGenerator } from '../../dsl/npu/fp-dot.ts';

export interface FpDotModelParams {
  readonly lanes: number;
  readonly a: FloatFormat;
  readonly b: FloatFormat;
  readonly accumulator: FloatFormat;
  readonly subnormals: SubnormalMode;
  /** The generator's register stages = latency in cycles; absent = 0. */
  readonly pipeline_stages?: number;
}

export function fpDotModel(p: FpDotModelParams): TransactionModel {
  const n = p.lanes;
  const opts = goldenOptions(p.subnormals);
  const dot = (as: number[], bs: number[]): number => dotTree(as, bs, { ...opts, aFormat: p.a, bFormat: p.b, output: p.accumulator, sums: p.accumulator });
  const fill = (v: number): number[] => Array.from({ length: n }, () => v);
  const row = (as: number[], bs: number[]): bigint[] => [...as, ...bs].map(BigInt);
  const inputs = [...Array.from({ length: n }, (_, i) => floatPort(`a${i}`, p.a)), ...Array.from({ length: n }, (_, i) => floatPort(`b${i}`, p.b))];
  const outputs = [floatPort('y', p.accumulator)];
  /** a0..a(n-1), b0..b(n-1): `floatCodeSampler` codes (half uniform), in port order in each row's words. */
  const samplers = [...Array.from({ length: n }, () => floatCodeSampler(p.a)), ...Array.from({ length: n }, () => floatCodeSampler(p.b))];
  const randomSet = (count: number, rng: Rng): VectorSet => drawCodes(inputs, samplers, count, rng);
  const fast = dotNumbers(p, opts);
  return {
    inputs,
    outputs,
    latency: p.pipeline_stages ?? 0,
    randomSet,
    random: (count: number, rng: Rng) => randomSet(count, rng).toRows(),
    ...(fast !== undefined ? { expectedStream: () => fast } : {}),
    corners: () => {
      const rows: bigint[][] = [];
      const as = interestingCodes(p.a);
      const bs = interestingCodes(p.b);
      // Every lane the same interesting pair (overflow, Inf - Inf across lanes, ties of equal terms).
      for (const a of as) for (const b of bs) rows.push(row(fill(a), fill(b)));
      // One interesting pair in one lane, a different one elsewhere: lane wiring and tree position.
      for (let i = 0; i < n; i++) for (const a of as.slice(0, 12)) {
        const x = fill(as[as.length >> 1]!);
        x[i] = a;
        rows.push(row(x, fill(bs[bs.length >> 1]!)));
      }
      // Alternating signs: cancellation at every level.
      for (const a of as) rows.push(row(fill(0).map((_, i) => (i % 2 === 0 ? a : flipSign(p.a, a))), fill(bs[3 % bs.length]!)));
      return rows;
    },
    exhaustive: () => {
      if (n !== 1 || p.a.width + p.b.width > 16) return undefined;
      const rows: bigint[][] = [];
      for (let a = 0; a < 2 ** p.a.width; a++) for (let b = 0; b < 2 ** p.b.width; b++) rows.push(row([a], [b]));
      return rows;
    },
    expected: (stimulus: readonly StimulusRow[]) => stimulus.map((r) => [BigInt(dot(r.slice(0, n).map(Number), r.slice(n).map(Number)))]),
  };
}

/**
 * The expected vectors on Numbers (`golden/float/fast-number.ts`): exact products, each tree sum
 * rounded to odd and then to the accumulator (and read back as its value), the root rounded to the
 * accumulator; undefined when a product is not exact in binary64.
 */
function dotNumbers(p: FpDotModelParams, opts: FloatArithOptions): ((chunk: VectorSet) => VectorSet) | undefined {
  const flush = opts.flushInput ?? false;
  const n = p.lanes;
  const acc = p.accumulator;
  const [da, db, dacc] = [numberDecoder(p.a, flush), numberDecoder(p.b, flush), numberDecoder(acc, false)];
  if (!da || !db || !dacc || !productIsExact(p.a, p.b) || !fitsNumber(acc)) return undefined;
  const round = numberRounder(acc, opts);
  const outputs = [floatPort('y', acc)];
  const level = new Float64Array(n);
  return (chunk) => {
    const out = VectorSet.alloc(outputs, chunk.length);
    const write = codeWriter(out, 0);
    const readers = Array.from({ length: 2 * n }, (_, k) => chunk.reader(k));
    for (let i = 0; i < chunk.length; i++) {
      for (let k = 0; k < n; k++) level[k] = da(readers[k]!(i)) * db(readers[n + k]!(i));
      // The pairwise tree of `treeReduce`: adjacent pairs left to right, an odd last element passes up.
      for (let len = n; len > 1; len = (len + 1) >> 1) {
        for (let k = 0; k + 1 < len; k += 2) level[k >> 1] = dacc(round(addToOdd(level[k]!, level[k + 1]!)));
        if (len % 2 === 1) level[len >> 1] = level[len - 1]!;
      }
      write(i, round(level[0]!));
    }
    return out;
  };
}

/** The `fp_dot` generator's model, from the params the generator was built with. */
export function fpDotGeneratorModel(p: GeneratorParams<typeof fpDotGenerator>): TransactionModel {
  return fpDotModel(p);
}
