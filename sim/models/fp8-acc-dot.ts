/**
 * Transaction model of `fp8_acc_dot` (golden `sim/golden/accel/fp8-acc-dot.ts`): the beat
 * protocol (en, first, last, promotion counter) replayed cycle by cycle, each beat by the golden
 * `fp8AccBeat` and each promotion by `promoteToFp32`. Expected row i is the fp32 accumulator after
 * row i (latency 1). Exhaustive with one lane: every (a, b) pair as a one-beat dot product.
 */
import { classifyFloat, floatZero, fp32, type FloatFormat, type FloatValue } from '../golden/index.ts';
import { fp8AccBeat, promoteToFp32 } from '../golden/accel/fp8-acc-dot.ts';
import type { Rng } from '../random.ts';
import type { StimulusRow, TransactionModel } from './types.ts';
import type { Port } from '../../formats/port.ts';
import { floatPort, interestingCodes } from './float-common.ts';
import type { GeneratorParams } from '../../dsl/npu/define.ts';
import type { fp8AccDotGenerator } from '../../dsl/npu/fp8-acc-dot.ts';

export interface Fp8AccDotModelParams {
  readonly a: FloatFormat;
  readonly b: FloatFormat;
  readonly lanes: number;
  readonly align_bits: number;
  readonly promote_every: number;
}

const bit = (name: string): Port => ({ name, width: 1, signed: false, format: 'uint1' });

export function fp8AccDotModel(p: Fp8AccDotModelParams): TransactionModel {
  const L = p.lanes;
  const period = p.promote_every / L;
  const inputs = [bit('en'), bit('first'), bit('last'), ...Array.from({ length: L }, (_, i) => floatPort(`a${i}`, p.a)), ...Array.from({ length: L }, (_, i) => floatPort(`b${i}`, p.b))];
  const row = (en: number, first: number, last: number, as: readonly number[], bs: readonly number[]): bigint[] => [en, first, last, ...as, ...bs].map(BigInt);
  const fill = (v: number): number[] => Array.from({ length: L }, () => v);
  const randomCode = (f: FloatFormat, rng: Rng): number => {
    for (;;) {
      const c = Number(rng.bigBits(f.width));
      const cls = classifyFloat(f, c);
      if ((cls !== 'nan' && cls !== 'inf') || rng.below(300) === 0) return c;
    }
  };
  return {
    inputs,
    outputs: [floatPort('acc_out', fp32)],
    latency: 1,
    random: (count, rng) => Array.from({ length: count }, () => row(rng.below(8) === 0 ? 0 : 1, rng.below(64) === 0 ? 1 : 0, rng.below(24) === 0 ? 1 : 0, fill(0).map(() => randomCode(p.a, rng)), fill(0).map(() => randomCode(p.b, rng)))),
    corners: () => {
      const rows: bigint[][] = [];
      const as = interestingCodes(p.a);
      const bs = interestingCodes(p.b);
      for (const a of as) for (const b of bs) rows.push(row(1, 1, 1, fill(a), fill(b)));
      // One big product then many small ones: the small ones are truncated away in the partial.
      const big = p.a.maxCode;
      for (const small of [1, p.a.minNormalCode, p.a.bias << p.a.manBits]) {
        rows.push(row(1, 1, 0, fill(big), fill(p.b.bias << p.b.manBits)));
        for (let i = 0; i < 40; i++) rows.push(row(1, 0, i === 39 ? 1 : 0, fill(small), fill(p.b.bias << p.b.manBits)));
      }
      // Alternating signs: cancellation of the partial, then small terms regain precision.
      for (let i = 0; i < 40; i++) rows.push(row(1, i === 0 ? 1 : 0, i === 39 ? 1 : 0, fill(i % 2 === 0 ? big : big + p.a.signMask), fill(0x31)));
      return rows;
    },
    exhaustive: () => {
      if (L !== 1) return undefined;
      const rows: bigint[][] = [];
      for (let a = 0; a < 2 ** p.a.width; a++) for (let b = 0; b < 2 ** p.b.width; b++) rows.push(row(1, 1, 1, [a], [b]));
      return rows;
    },
    expected: (stimulus: readonly StimulusRow[]) => {
      let acc = 0;
      let partial: FloatValue = floatZero(false);
      let count = 0;
      return stimulus.map((r) => {
        const [en, first, last] = [r[0] === 1n, r[1] === 1n, r[2] === 1n];
        if (first) [acc, partial, count] = [0, floatZero(false), 0];
        if (en) {
          partial = fp8AccBeat(partial, r.slice(3, 3 + L).map(Number), r.slice(3 + L).map(Number), p.a, p.b, p.align_bits);
          count++;
          if (last || (period > 0 && count === period)) {
            acc = promoteToFp32(acc, partial);
            [partial, count] = [floatZero(false), 0];
          }
        }
        return [BigInt(acc)];
      });
    },
  };
}

/** The `fp8_acc_dot` generator's model, from the params the generator was built with. */
export function fp8AccDotGeneratorModel(p: GeneratorParams<typeof fp8AccDotGenerator>): TransactionModel {
  return fp8AccDotModel(p);
}
