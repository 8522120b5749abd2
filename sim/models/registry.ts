/**
 * Generator name → transaction model, built from the same parsed params the generator got.
 * Formats the generator derives itself (an `auto` accumulator) are derived here again with
 * the golden library, so a disagreement shows up as a port mismatch at verification.
 */
import { accumulatorWidth, intType } from '../golden/index.ts';
import { fixedFormat, fracBitsOf, type FixedFormat } from '../../dsl/types/format-string.ts';
import { macModel } from './mac.ts';
import { systolicModel, type Dataflow } from './systolic.ts';
import { systolicFloatModel } from './systolic-float.ts';
import type { FloatFormat } from '../golden/float/format.ts';
import { gemmTileModel } from './gemm-tile.ts';
import { dotModel } from './dot.ts';
import { requantModel } from './requantizer.ts';
import { requantFp32Model } from './requantizer-fp32.ts';
import { gemminiModel, nvdlaModel } from './presets.ts';
import type { TransactionModel } from './types.ts';
import { convertEndpointOf, fpConvertModel } from './float-convert.ts';
import { fpMulModel } from './float-mul.ts';
import { fpMacModel } from './float-mac.ts';
import { fpDotModel } from './float-dot.ts';
import { floatFormat, type FloatRounding } from '../golden/index.ts';
import type { SubnormalMode } from './float-common.ts';
import { mxDotModel } from './mx-dot.ts';

export type ModelFactory = (params: Readonly<Record<string, unknown>>) => TransactionModel;

/** Exact accumulator format for k products, from the golden library's accumulator_width. */
export function goldenAutoAccumulator(a: FixedFormat, b: FixedFormat, k: number): FixedFormat {
  const signed = a.signed || b.signed;
  const w = accumulatorWidth({ type: intType(a.width, a.signed), narrow: false }, { type: intType(b.width, b.signed), narrow: false }, BigInt(k));
  // The golden width is for a signed accumulator; unsigned products need one bit less.
  const width = signed ? w : w - 1;
  return fixedFormat(width, width - fracBitsOf(a) - fracBitsOf(b), signed);
}

/** The accumulator a generator with these params uses: explicit, or `auto` for `terms` products. */
function accumulatorOf(p: Readonly<Record<string, unknown>>, terms: number): FixedFormat {
  const a = p['a'] as FixedFormat;
  const b = p['b'] as FixedFormat;
  return p['accumulator'] === 'auto' ? goldenAutoAccumulator(a, b, terms) : (p['accumulator'] as FixedFormat);
}

/** The params `systolic_array` and `gemm_tile` share, with the accumulator resolved. */
function arrayParams(p: Readonly<Record<string, unknown>>) {
  const dataflow = p['dataflow'] as Dataflow;
  const rows = p['rows'] as number;
  const k = p['k'] as number;
  // Weight-stationary reduces over the grid's rows; output-stationary over k streamed beats.
  const accumulator = accumulatorOf(p, dataflow === 'weight_stationary' ? rows : k);
  return { rows, cols: p['cols'] as number, dataflow, a: p['a'] as FixedFormat, b: p['b'] as FixedFormat, accumulator, k };
}

/**
 * `systolic_array` over float formats: a, b and accumulator are preset names (the parsed params
 * keep float formats by name); `fused` / `subnormals` absent (null) take the generator's
 * defaults, true and ieee. Mixed float/integer formats are the generator's error; refused here too.
 */
function floatArrayModel(p: Readonly<Record<string, unknown>>): TransactionModel {
  const names = ['a', 'b', 'accumulator'].map((k) => p[k]);
  if (!names.every((n) => typeof n === 'string' && n !== 'auto')) throw new RangeError(`systolic_array: float a/b need float a, b and accumulator, got ${names.map((n) => (typeof n === 'string' ? n : 'an integer/fixed format')).join(', ')}`);
  const [a, b, accumulator] = (names as string[]).map(floatFormat) as [FloatFormat, FloatFormat, FloatFormat];
  return systolicFloatModel({
    rows: p['rows'] as number, cols: p['cols'] as number, dataflow: p['dataflow'] as Dataflow, k: p['k'] as number,
    a, b, accumulator, fused: (p['fused'] as boolean | null) ?? true, subnormals: (p['subnormals'] as SubnormalMode | null) ?? 'ieee',
  });
}

const isFloatName = (v: unknown): boolean => typeof v === 'string' && v !== 'auto';

export const MODELS: Readonly<Record<string, ModelFactory>> = {
  fp_convert: (p) => fpConvertModel({ from: convertEndpointOf(p['from'] as string), to: convertEndpointOf(p['to'] as string), saturate: p['saturate'] as boolean, subnormals: p['subnormals'] as SubnormalMode, rounding: p['rounding'] as FloatRounding }),
  fp_mul: (p) => fpMulModel({ a: floatFormat(p['a'] as string), b: floatFormat(p['b'] as string), out: floatFormat(p['out'] as string), subnormals: p['subnormals'] as SubnormalMode, pipeline_stages: p['pipeline_stages'] as number }),
  fp_mac: (p) => fpMacModel({ a: floatFormat(p['a'] as string), b: floatFormat(p['b'] as string), accumulator: floatFormat(p['accumulator'] as string), fused: p['fused'] as boolean, subnormals: p['subnormals'] as SubnormalMode, pipeline_stages: p['pipeline_stages'] as number }),
  mx_dot: (p) => mxDotModel({ format: p['format'] as string, pipeline_stages: p['pipeline_stages'] as number }),
  fp_dot: (p) => fpDotModel({ lanes: p['lanes'] as number, a: floatFormat(p['a'] as string), b: floatFormat(p['b'] as string), accumulator: floatFormat(p['accumulator'] as string), subnormals: p['subnormals'] as SubnormalMode, pipeline_stages: p['pipeline_stages'] as number }),
  mac: (p) => macModel({ a: p['a'] as FixedFormat, b: p['b'] as FixedFormat, accumulator: accumulatorOf(p, p['k'] as number), overflow: p['overflow'] as 'wrap' | 'saturate' }),
  systolic_array: (p) => (isFloatName(p['a']) || isFloatName(p['b']) ? floatArrayModel(p) : systolicModel(arrayParams(p))),
  gemm_tile: (p) => {
    if (p['scale'] !== 'int' || p['zero_points'] === true || p['bias'] === true) {
      throw new RangeError('gemm_tile with scale fp32/none, zero_points or bias has no transaction model for `npugen verify`; it is checked layer by layer against the golden model by runQuantGemmOnTiles (sim/layers/quant-gemm.ts)');
    }
    return gemmTileModel({
    ...arrayParams(p),
    output: p['output'] as FixedFormat,
    per_channel: p['per_channel'] as boolean,
    rounding: p['rounding'] as 'double_round' | 'single_round',
    activation: p['activation'] as 'none' | 'relu' | 'relu6',
    });
  },
  dot: (p) => {
    const lanes = p['lanes'] as number;
    return dotModel({ lanes, a: p['a'] as FixedFormat, b: p['b'] as FixedFormat, accumulator: accumulatorOf(p, lanes), pipeline_stages: p['pipeline_stages'] as number });
  },
  requantizer: (p) => {
    const common = {
      input: p['input'] as FixedFormat,
      output: p['output'] as FixedFormat,
      per_channel: p['per_channel'] as boolean,
      channels: p['channels'] as number,
      activation: p['activation'] as 'none' | 'relu' | 'relu6',
    };
    if (p['scale'] === 'fp32') return requantFp32Model(common);
    if (p['preset'] === 'gemmini') return gemminiModel(common);
    if (p['preset'] === 'nvdla') return nvdlaModel(common);
    return requantModel({ ...common, rounding: p['rounding'] as 'double_round' | 'single_round' });
  },
};
