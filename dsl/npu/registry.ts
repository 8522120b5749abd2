/**
 * Generators reachable from design files (`generator: <name>`), each with its parameter specs
 * and a build function. Adding a generator is one entry here.
 */
import type { BuiltDesign } from '../builder/module.ts';
import { buildMac } from './mac.ts';
import { buildSystolic, FLOAT_ACCUMULATORS, resolveSystolicParams, type ArrayFormat } from './systolic.ts';
import { buildGemmTile } from './gemm-tile.ts';
import { buildDot } from './dot.ts';
import { buildRequantizer } from './requantizer.ts';
import { boolParam, enumParam, formatOrAutoParam, formatParam, intParam, isParamError, type ParamSpec, type ParamValues } from './params.ts';
import { intFormat } from '../types/format-string.ts';
import { buildFpConvert } from './fp-convert.ts';
import { convertFormatOf, convertFormatParam } from './fp-params.ts';
import { INT_ROUNDINGS } from '../float/int-convert.ts';
import { buildFpMul } from './fp-mul.ts';
import { buildFpMac } from './fp-mac.ts';
import { buildFpDot } from './fp-dot.ts';
import { floatFormatParam, fmt, pipelineStagesParam, SUBNORMAL_MODES, type FloatFormatName } from './fp-params.ts';
import { FLOAT_FORMATS } from '../float/format.ts';
import type { FixedFormat } from '../types/format-string.ts';
import { buildMxDot, MX_ELEMENT_FORMATS, type MxFormatName } from './mx-dot.ts';

export interface GeneratorEntry<S extends Record<string, ParamSpec<unknown>> = Record<string, ParamSpec<unknown>>> {
  readonly doc: string;
  readonly params: S;
  readonly build: (name: string, params: ParamValues<S>) => BuiltDesign;
}

/** Erases an entry's param types for the table; `build` only ever receives values its own specs parsed. */
function entry<S extends Record<string, ParamSpec<unknown>>>(e: GeneratorEntry<S>): GeneratorEntry {
  return e as unknown as GeneratorEntry;
}

const macParams = {
  a: formatParam('operand a format (int, uint or fixed)', intFormat(8, true)),
  b: formatParam('operand b format (int, uint or fixed)', intFormat(8, true)),
  accumulator: formatOrAutoParam('accumulator format, or auto for the exact width of k products', intFormat(32, true)),
  k: intParam('products per accumulation (sizes accumulator: auto)', 1, 1 << 24, 1),
  overflow: enumParam('accumulator overflow', ['wrap', 'saturate'] as const, 'wrap'),
};

const dotParams = {
  lanes: intParam('number of parallel products', 1, 1024, 16),
  a: formatParam('operand a format (int, uint or fixed)', intFormat(8, true)),
  b: formatParam('operand b format (int, uint or fixed)', intFormat(8, true)),
  accumulator: formatOrAutoParam('result format (overflow wraps), or auto for the exact width of lanes products', 'auto'),
  pipeline_stages: intParam('register stages over the multiplier and adder-tree levels (= latency; 0 = combinational)', 0, 64, 1),
};

const requantizerParams = {
  input: formatParam('accumulator format: a signed integer of at most 32 bits', intFormat(32, true)),
  output: formatParam('output format: int8, int4 or uint8 (int8 for gemmini, int8 or int16 for nvdla)', intFormat(8, true)),
  per_channel: boolParam('one multiplier and shift (scaling and shifter for nvdla) per channel instead of per tensor', false),
  channels: intParam('lanes requantized in parallel', 1, 1024, 1),
  rounding: enumParam('MultiplyByQuantizedMultiplier flavour (preset none)', ['double_round', 'single_round'] as const, 'double_round'),
  activation: enumParam('clamp range: none [qmin, qmax], relu [zero_point, qmax], relu6 [zero_point, act_max input]', ['none', 'relu', 'relu6'] as const, 'none'),
  preset: enumParam('none (TFLite), gemmini (rounding shift) or nvdla (output convertor)', ['none', 'gemmini', 'nvdla'] as const, 'none'),
  scale: enumParam('int: int32 multiplier and shift (TFLite); fp32: binary32 multiplier (onnxruntime QLinearMatMul/QLinearConv, Gemmini acc_scale), clamp bounds out_min/out_max as ports', ['int', 'fp32'] as const, 'int'),
};

const systolicParams = {
  rows: intParam('PE rows (output_stationary: rows of A and C; weight_stationary: the reduction depth, rows of B)', 1, 1024, 4),
  cols: intParam('PE columns (columns of B and C)', 1, 1024, 4),
  dataflow: enumParam('output_stationary (C stays in the PEs, K streamed) or weight_stationary (B preloaded, rows of A streamed)', ['output_stationary', 'weight_stationary'] as const, 'output_stationary'),
  a: formatParam('activation (A) format (int, uint or fixed)', intFormat(8, true)),
  b: formatParam('weight (B) format (int, uint or fixed)', intFormat(8, true)),
  accumulator: formatOrAutoParam('accumulator and c format (sums wrap), or auto for the exact width of k (OS) or rows (WS) products', intFormat(32, true)),
  k: intParam('output_stationary: terms per GEMM an auto accumulator is sized for; weight_stationary: 0 or rows', 0, 1 << 24, 0),
};

/**
 * A `systolic_array` format: an integer/fixed format (parsed), one of the float preset names
 * `floats` (kept as the name, like the float generators' params) or, for the accumulator, auto.
 */
function arrayFormatParam<A extends boolean = false>(doc: string, dflt: FixedFormat, floats: readonly string[], auto?: A): ParamSpec<ArrayFormat | (A extends true ? 'auto' : never)> {
  const fixed = formatParam(doc);
  return {
    doc,
    default: dflt,
    parse: (raw) => {
      if (auto === true && raw === 'auto') return 'auto' as A extends true ? 'auto' : never;
      if (typeof raw === 'string' && floats.includes(raw) && Object.hasOwn(FLOAT_FORMATS, raw)) return raw as FloatFormatName;
      const f = fixed.parse(raw);
      return isParamError(f) ? { error: `${f.error}${auto === true ? ', auto' : ''}; or a float format (${floats.join(', ')})` } : f;
    },
  };
}

/** A float-array-only param: absent = null (float arrays use the documented default; integer arrays reject any value). */
function floatOnlyParam<T>(spec: ParamSpec<T>): ParamSpec<T | null> {
  return { doc: spec.doc, default: null, parse: spec.parse };
}

const systolicArrayParams = {
  ...systolicParams,
  a: arrayFormatParam('activation (A) format: int, uint, fixed, or a float format (fp16, bf16, fp8_e4m3, fp8_e5m2, ...; then b and accumulator are float too)', intFormat(8, true), Object.keys(FLOAT_FORMATS)),
  b: arrayFormatParam('weight (B) format: int, uint, fixed, or a float format', intFormat(8, true), Object.keys(FLOAT_FORMATS)),
  accumulator: arrayFormatParam(`accumulator and c format (integer sums wrap), auto for the exact width of k (OS) or rows (WS) products, or for float a/b one of ${FLOAT_ACCUMULATORS.join(', ')}`, intFormat(32, true), FLOAT_ACCUMULATORS, true),
  fused: floatOnlyParam(boolParam('float formats only (default true): true: acc + a*b rounded once (fma); false: the product is rounded to the accumulator format first')),
  subnormals: floatOnlyParam(enumParam('float formats only (default ieee): ieee keeps subnormals; flush: subnormal inputs read as zero, results below the smallest normal flushed to zero', SUBNORMAL_MODES)),
};

const gemmTileParams = {
  ...systolicParams,
  a: formatParam('activation (A) format (int or uint)', intFormat(8, true)),
  b: formatParam('weight (B) format (int or uint)', intFormat(8, true)),
  output: formatParam('output format of the requantizer: int8, int4 or uint8', intFormat(8, true)),
  per_channel: boolParam('one multiplier and shift per output column instead of per tensor', false),
  rounding: enumParam('MultiplyByQuantizedMultiplier flavour', ['double_round', 'single_round'] as const, 'double_round'),
  activation: enumParam('clamp range: none [qmin, qmax], relu [zero_point, qmax], relu6 [zero_point, act_max input]', ['none', 'relu', 'relu6'] as const, 'none'),
  scale: enumParam('int: int32 multiplier and shift (TFLite); fp32: binary32 multiplier (onnxruntime), clamp bounds out_min/out_max as ports; none: y is the int32 accumulator (output: int32)', ['int', 'fp32', 'none'] as const, 'int'),
  zero_points: boolParam('a_zero_point and b_zero_point_<j> ports, subtracted at the array inputs (operands become (w+1)-bit signed)', false),
  bias: boolParam('bias_<j> int32 ports added to the accumulators (wrapping to int32) before the output stage', false),
};

const fpSubnormals = enumParam('ieee: subnormal inputs and results kept; flush: subnormal inputs read as zero, results below the smallest normal flushed to zero', SUBNORMAL_MODES, 'ieee');

const fpConvertParams = {
  from: convertFormatParam('source format: a float format, or an integer int<N>/uint<N> (or fixed<W,I>) converted to float', 'fp32'),
  to: convertFormatParam('target format: a float format, or an integer int<N>/uint<N> (N <= 52) a float is converted to', 'fp8_e4m3'),
  saturate: boolParam('float targets: overflow and Inf give ±max finite instead of Inf (NaN for fn formats); float -> integer always saturates', false),
  subnormals: fpSubnormals,
  rounding: enumParam('float -> integer rounding: rne (nearest even), rna (nearest, ties away), rtz (toward zero), rup (toward +Inf), rdn (toward -Inf); float targets: rne only', INT_ROUNDINGS, 'rne'),
};

const fpMulParams = {
  a: floatFormatParam('operand a float format', 'fp8_e4m3'),
  b: floatFormatParam('operand b float format', 'fp8_e4m3'),
  out: floatFormatParam('result float format', 'fp8_e4m3'),
  subnormals: fpSubnormals,
  pipeline_stages: pipelineStagesParam('register stages: 1 after the exact product, 2 also inside the rounding, more on y'),
};

const fpMacParams = {
  a: floatFormatParam('operand a float format', 'fp8_e4m3'),
  b: floatFormatParam('operand b float format', 'fp8_e4m3'),
  accumulator: floatFormatParam('accumulator float format (fp32, fp16, bf16, ...)', 'fp32'),
  fused: boolParam('true: acc + a*b rounded once; false: the product is rounded to the accumulator format first', true),
  subnormals: fpSubnormals,
  pipeline_stages: pipelineStagesParam('0 or 1: 1 registers the exact product with en and clear, so the loop is add + round only', 1),
};

const fpDotParams = {
  lanes: intParam('number of parallel products', 1, 256, 4),
  a: floatFormatParam('operand a float format', 'fp8_e4m3'),
  b: floatFormatParam('operand b float format', 'fp8_e4m3'),
  accumulator: floatFormatParam('format of the tree sums and of the result', 'fp32'),
  subnormals: fpSubnormals,
  pipeline_stages: pipelineStagesParam('register stages spread over the product level, the adder levels and the final rounding'),
};

export const GENERATORS: Readonly<Record<string, GeneratorEntry>> = {
  fp_convert: entry({
    doc: 'conversion between float formats (fp32 <-> fp16/bf16/fp8/fp6/fp4) and to/from integers (int<N>, uint<N>): float targets round-to-nearest-even with overflow per saturate; integer targets round per rounding and saturate',
    params: fpConvertParams,
    build: (name, p) => buildFpConvert({ name, ...p, from: convertFormatOf(p.from), to: convertFormatOf(p.to) }),
  }),
  fp_mul: entry({
    doc: 'float multiplier y = a*b (any two formats), exact significand product rounded once',
    params: fpMulParams,
    build: (name, p) => buildFpMul({ name, ...p, a: fmt(p.a), b: fmt(p.b), out: fmt(p.out) }),
  }),
  fp_mac: entry({
    doc: 'float multiply-accumulate PE: acc <= (clear ? +0 : acc) + a*b when en; fused (one rounding) or unfused',
    params: fpMacParams,
    build: (name, p) => buildFpMac({ name, ...p, a: fmt(p.a), b: fmt(p.b), accumulator: fmt(p.accumulator) }),
  }),
  fp_dot: entry({
    doc: 'float dot product over lanes: exact products, pairwise tree with each sum rounded to the accumulator (golden dotTree order)',
    params: fpDotParams,
    build: (name, p) => buildFpDot({ name, ...p, a: fmt(p.a), b: fmt(p.b), accumulator: fmt(p.accumulator) }),
  }),
  mx_dot: entry({
    doc: 'dot product of two 32-element MX blocks (E8M0 scales) -> fp32: exact products, exact fixed-point sum, one rounding (golden mxDotFp32)',
    params: {
      format: enumParam('MX element format', Object.keys(MX_ELEMENT_FORMATS) as MxFormatName[], 'mxfp8_e4m3'),
      pipeline_stages: pipelineStagesParam('register stages spread over the product level, the adder levels and the final rounding'),
    },
    build: (name, p) => buildMxDot({ name, ...p }),
  }),
  mac: entry({
    doc: 'multiply-accumulate PE: acc <= (clear ? 0 : acc) + a*b when en',
    params: macParams,
    build: (name, p) => buildMac({ name, ...p }),
  }),
  systolic_array: entry({
    doc: 'rows x cols systolic GEMM array (output- or weight-stationary), integer/fixed or float (fma per step, defined accumulation order), with input skew and output deskew; one row of C per cycle with out_valid',
    params: systolicArrayParams,
    build: (name, p) => buildSystolic(resolveSystolicParams(name, p)),
  }),
  dot: entry({
    doc: 'dot product y = sum of a_i*b_i over lanes, pipelined adder tree (latency = pipeline_stages)',
    params: dotParams,
    build: (name, p) => buildDot({ name, ...p }),
  }),
  requantizer: entry({
    doc: 'int32 -> int8/int4/uint8 requantizer (TFLite MultiplyByQuantizedMultiplier, zero point, activation clamp) or the gemmini/nvdla output stages, or (scale: fp32) onnxruntime\'s float requantization = Gemmini acc_scale; run-time scale ports',
    params: requantizerParams,
    build: (name, p) => buildRequantizer({ name, ...p }),
  }),
  gemm_tile: entry({
    doc: 'systolic_array with a requantizer on its outputs (int32 accumulators -> int8/int4/uint8, run-time multiplier/shift/zero point, activation clamp)',
    params: gemmTileParams,
    build: (name, p) => buildGemmTile({ name, ...p }),
  }),
};
