/**
 * @deprecated The old generator table (see `GENERATORS` below); the registry is `catalog/`.
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
import { buildFp8AccDot } from './fp8-acc-dot.ts';
import { buildGroupDot, GROUP_ACTIVATIONS, GROUP_DATAPATHS } from './group-dot.ts';

export interface GeneratorEntry<S extends Record<string, ParamSpec<unknown>> = Record<string, ParamSpec<unknown>>> {
  readonly doc: string;
  readonly params: S;
  readonly build: (name: string, params: ParamValues<S>) => BuiltDesign;
}

/** Erases an entry's param types for the table; `build` only ever receives values its own specs parsed. */
function entry<S extends Record<string, ParamSpec<unknown>>>(e: GeneratorEntry<S>): GeneratorEntry {
  return e as unknown as GeneratorEntry;
}

/**
 * @deprecated Old-style entries, kept until 00:30 UTC so branches written against the old
 * registry still compile after a rebase; `catalog/legacy.ts` pairs each with `MODELS` in
 * `sim/models/registry.ts` (a missing model is a registry-load error). New generators use
 * `rtlGenerator` + `defineGenerator` (docs/architecture.md, "How to add a generator").
 */
const groupDotParams = {
  datapath: enumParam('dequant_fp (AWQ order: w = fp16((q - z)*s), fp MAC with fp32 accumulation) or int_then_scale (ggml order: exact integer sum per group, then fp32 scale multiply and fp32 accumulation)', GROUP_DATAPATHS, 'dequant_fp'),
  activation: enumParam('activation format: fp16, bf16, or int8 with an fp16 scale per group (x_scale port)', GROUP_ACTIVATIONS, 'fp16'),
  group_size: intParam('weights per group sharing one fp16 scale and uint4 zero point: 32, 64 or 128 (any power of two >= lanes is accepted)', 1, 1024, 32),
  lanes: intParam('products per beat (a group streams in group_size / lanes beats); must divide group_size', 1, 128, 8),
};

export const GENERATORS: Readonly<Record<string, GeneratorEntry>> = {
  group_dot: entry({
    doc: 'group-quantized int4 weight (fp16 scale, uint4 zero point per group) . fp16/bf16/int8 activation dot product with fp32 accumulation, streamed lanes per beat; dequant_fp (AWQ) or int_then_scale (ggml) datapath; latency 1',
    params: groupDotParams,
    build: (name, p) => buildGroupDot({ name, ...p, cols: 1 }),
  }),
  group_gemm: entry({
    doc: 'weight-streaming GEMV/GEMM tile: cols group_dot columns sharing one activation stream (one activation row against cols int4 weight rows per pass); runs whole weight-only layers (sim/layers/group-gemm.ts)',
    params: { ...groupDotParams, cols: intParam('output columns computed in parallel', 1, 256, 4) },
    build: (name, p) => buildGroupDot({ name, ...p }, 'group_gemm'),
  }),
  fp8_acc_dot: entry({
    doc: 'FP8 dot product with a tensor-core-like accumulator: products aligned to the largest exponent and truncated to align_bits bits in a partial sum, promoted to fp32 every promote_every products and on last (golden fp8AccDot); latency 1',
    params: {
      a: floatFormatParam('operand a format', 'fp8_e4m3', ['fp8_e4m3', 'fp8_e5m2']),
      b: floatFormatParam('operand b format', 'fp8_e4m3', ['fp8_e4m3', 'fp8_e5m2']),
      lanes: intParam('products per beat', 1, 64, 4),
      align_bits: intParam('bits of the largest aligned term kept in the partial sum (about 14 on Hopper FP8 MMA, DeepGEMM #37)', 2, 64, 14),
      promote_every: intParam('products between promotions of the partial sum to the fp32 accumulator (a multiple of lanes; 0 = only on last; DeepGEMM uses 128)', 0, 1 << 20, 128),
    },
    build: (name, p) => buildFp8AccDot({ name, ...p, a: p.a, b: p.b }),
  }),
};
