/**
 * Transaction model of `fp_dot` (golden `dotTree`): exact products, pairwise tree (adjacent pairs
 * left to right, odd last element passes up), each sum rounded to the accumulator format
 * (`sums` = accumulator), final rounding to the accumulator. Rows are independent; latency =
 * pipeline_stages (registers change no rounding point, only when y appears).
 */
import { dotTree, type FloatFormat } from '../golden/index.ts';
import type { Rng } from '../random.ts';
import type { StimulusRow, TransactionModel } from './types.ts';
import { flipSign, floatPort, goldenOptions, interestingCodes, randomFloatCode, type SubnormalMode } from './float-common.ts';
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
  return {
    inputs: [...Array.from({ length: n }, (_, i) => floatPort(`a${i}`, p.a)), ...Array.from({ length: n }, (_, i) => floatPort(`b${i}`, p.b))],
    outputs: [floatPort('y', p.accumulator)],
    latency: p.pipeline_stages ?? 0,
    random: (count: number, rng: Rng) => Array.from({ length: count }, () => row(fill(0).map(() => randomFloatCode(p.a, rng)), fill(0).map(() => randomFloatCode(p.b, rng)))),
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

/** The `fp_dot` generator's model, from the params the generator was built with. */
export function fpDotGeneratorModel(p: GeneratorParams<typeof fpDotGenerator>): TransactionModel {
  return fpDotModel(p);
}
