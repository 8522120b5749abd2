/**
 * Transaction model of `mac`, from the golden library: exact product of the operand codes,
 * aligned to the accumulator's binary point, added to the running sum, narrowed with wrap or
 * saturate. Expected row i is the accumulator after applying stimulus row i (latency 1).
 */
import { intType, saturateInt, wrapInt } from '../golden/index.ts';
import type { FixedFormat } from '../../dsl/types/format-string.ts';
import { formatName, fracBitsOf } from '../../dsl/types/format-string.ts';
import type { Rng } from '../random.ts';
import type { ModelPort, StimulusRow, TransactionModel } from './types.ts';
import { codeRange, portOf, randomCode } from './ports.ts';

export interface MacModelParams {
  readonly a: FixedFormat;
  readonly b: FixedFormat;
  /** The resolved accumulator format (after `auto`). */
  readonly accumulator: FixedFormat;
  readonly overflow: 'wrap' | 'saturate';
}

export function macModel(p: MacModelParams): TransactionModel {
  const inputs: ModelPort[] = [portOf('a', p.a), portOf('b', p.b), { name: 'en', width: 1, signed: false, format: 'uint1' }, { name: 'clear', width: 1, signed: false, format: 'uint1' }];
  const outputs: ModelPort[] = [portOf('acc_out', p.accumulator)];
  const accType = intType(p.accumulator.width, p.accumulator.signed);
  const shift = BigInt(fracBitsOf(p.accumulator) - fracBitsOf(p.a) - fracBitsOf(p.b));
  const [alo, ahi] = codeRange(p.a);
  const [blo, bhi] = codeRange(p.b);
  return {
    inputs,
    outputs,
    latency: 1,
    random: (count: number, rng: Rng) => Array.from({ length: count }, () => [randomCode(p.a, rng), randomCode(p.b, rng), rng.below(8) === 0 ? 0n : 1n, rng.below(8) === 0 ? 1n : 0n]),
    corners: () => {
      const rows: bigint[][] = [];
      const as = [alo, ahi, 0n, 1n, -1n].filter((v) => v >= alo && v <= ahi);
      const bs = [blo, bhi, 0n, 1n, -1n].filter((v) => v >= blo && v <= bhi);
      for (const a of as) for (const b of bs) rows.push([a, b, 1n, 1n]);
      // Long runs of the largest-magnitude products drive the accumulator to its overflow edges.
      for (const [a, b] of [[alo, blo], [ahi, bhi], [alo, bhi], [ahi, blo]] as const) {
        rows.push([a, b, 1n, 1n]);
        for (let i = 0; i < 40; i++) rows.push([a, b, 1n, 0n]);
      }
      rows.push([ahi, bhi, 0n, 1n], [ahi, bhi, 0n, 0n]);
      return rows;
    },
    exhaustive: () => {
      const n = (ahi - alo + 1n) * (bhi - blo + 1n);
      if (n > 65536n) return undefined;
      const rows: bigint[][] = [];
      let i = 0;
      // Every operand pair once; a clear every 16 vectors so sums of varied products are checked too.
      for (let a = alo; a <= ahi; a++) for (let b = blo; b <= bhi; b++) rows.push([a, b, 1n, i++ % 16 === 0 ? 1n : 0n]);
      return rows;
    },
    expected: (stimulus: readonly StimulusRow[]) => {
      let acc = 0n;
      return stimulus.map(([a, b, en, clear]) => {
        const base = clear === 1n ? 0n : acc;
        if (en === 1n) {
          const sum = base + ((a! * b!) << shift);
          acc = p.overflow === 'wrap' ? wrapInt(sum, accType) : saturateInt(sum, accType);
        } else acc = base;
        return [acc];
      });
    },
  };
}

export function describeMacModel(p: MacModelParams): string {
  return `mac ${formatName(p.a)} x ${formatName(p.b)} -> ${formatName(p.accumulator)} (${p.overflow})`;
}
