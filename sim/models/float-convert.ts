/**
 * Transaction model of `fp_convert` (golden `floatConvert`): y = the exact value of a rounded once
 * to `to`. A NaN into a format without NaN (FP6/FP4; the golden library refuses it) is +0, the
 * generator's documented policy. Latency 0.
 */
import { classifyFloat, floatConvert, type FloatFormat } from '../golden/index.ts';
import type { Rng } from '../random.ts';
import type { StimulusRow, TransactionModel } from './types.ts';
import { floatPort, goldenOptions, interestingCodes, randomFloatCode, tieCodes, type SubnormalMode } from './float-common.ts';

export interface FpConvertModelParams {
  readonly from: FloatFormat;
  readonly to: FloatFormat;
  readonly saturate: boolean;
  readonly subnormals: SubnormalMode;
}

export function fpConvertModel(p: FpConvertModelParams): TransactionModel {
  const opts = goldenOptions(p.subnormals, p.saturate);
  const convert = (code: number): number => (p.to.nanCode === undefined && classifyFloat(p.from, code) === 'nan' ? 0 : floatConvert(p.from, p.to, code, opts));
  return {
    inputs: [floatPort('a', p.from)],
    outputs: [floatPort('y', p.to)],
    latency: 0,
    random: (count: number, rng: Rng) => Array.from({ length: count }, () => [BigInt(randomFloatCode(p.from, rng, Math.max(4, p.to.bias + p.to.manBits + 2)))]),
    corners: () => [...new Set([...interestingCodes(p.from), ...tieCodes(p.from, p.to)])].map((c) => [BigInt(c)]),
    exhaustive: () => (p.from.width > 16 ? undefined : Array.from({ length: 2 ** p.from.width }, (_, c) => [BigInt(c)])),
    expected: (stimulus: readonly StimulusRow[]) => stimulus.map(([a]) => [BigInt(convert(Number(a!)))]),
  };
}
