/**
 * Transaction model of `fp_mac` (golden `dotTree` with one lane and the accumulator as addend):
 * fused: acc' = round(acc + a·b) with the exact product; unfused: the product rounded to the
 * accumulator format first (`products` = accumulator). `clear` replaces acc by +0 this cycle.
 * Expected row i is the accumulator after stimulus row i (latency 1).
 */
import { dotTree, type FloatFormat } from '../golden/index.ts';
import type { Rng } from '../random.ts';
import type { StimulusRow, TransactionModel } from './types.ts';
import { floatPort, goldenOptions, interestingCodes, randomFloatCode, type SubnormalMode } from './float-common.ts';

export interface FpMacModelParams {
  readonly a: FloatFormat;
  readonly b: FloatFormat;
  readonly accumulator: FloatFormat;
  readonly fused: boolean;
  readonly subnormals: SubnormalMode;
}

export function fpMacModel(p: FpMacModelParams): TransactionModel {
  const opts = goldenOptions(p.subnormals);
  const acc = p.accumulator;
  const step = (a: number, b: number, base: number): number =>
    dotTree([a], [b], { ...opts, aFormat: p.a, bFormat: p.b, output: acc, addend: { format: acc, code: base }, ...(p.fused ? {} : { products: acc }) });
  const bit = (rng: Rng, oneIn: number): bigint => (rng.below(oneIn) === 0 ? 1n : 0n);
  return {
    inputs: [floatPort('a', p.a), floatPort('b', p.b), { name: 'en', width: 1, signed: false, format: 'uint1' }, { name: 'clear', width: 1, signed: false, format: 'uint1' }],
    outputs: [floatPort('acc_out', acc)],
    latency: 1,
    random: (count: number, rng: Rng) => Array.from({ length: count }, () => [BigInt(randomFloatCode(p.a, rng, 4, 8)), BigInt(randomFloatCode(p.b, rng, 4, 8)), rng.below(8) === 0 ? 0n : 1n, bit(rng, 6)]),
    corners: () => {
      const rows: bigint[][] = [];
      const as = interestingCodes(p.a);
      const bs = interestingCodes(p.b);
      // Every interesting pair from a cleared accumulator, then again onto that result (doubling,
      // ties against a non-zero accumulator, Inf + Inf, Inf - Inf, x - x = +0).
      for (const a of as) for (const b of bs) {
        rows.push([BigInt(a), BigInt(b), 1n, 1n], [BigInt(a), BigInt(b), 1n, 0n], [BigInt(a ^ p.a.signMask), BigInt(b), 1n, 0n]);
      }
      // Long runs of the largest products: overflow to Inf (or NaN for fn accumulators); en = 0 holds.
      for (const [a, b] of [[p.a.maxCode, p.b.maxCode], [p.a.maxCode + p.a.signMask, p.b.maxCode]] as const) {
        rows.push([BigInt(a), BigInt(b), 1n, 1n]);
        for (let i = 0; i < 40; i++) rows.push([BigInt(a), BigInt(b), i % 7 === 3 ? 0n : 1n, 0n]);
      }
      // Tiny products: subnormal accumulations.
      rows.push([1n, 1n, 1n, 1n]);
      for (let i = 0; i < 10; i++) rows.push([BigInt(p.a.minNormalCode), BigInt(p.b.minNormalCode - 1), 1n, 0n]);
      return rows;
    },
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
