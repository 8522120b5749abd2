/**
 * The NPU datapath generators' RTL halves: the build functions (typed params) and each
 * generator's `rtlGenerator` definition. `npugen/generators` (`catalog/index.ts`) adds the
 * registry, `GENERATORS` and `instantiate`, which pair each with its golden model.
 */
export type { ParamSpec, ParamSchema, ParamValues } from './params.ts';
export { rtlGenerator, type RtlGenerator, type GeneratorParams } from './define.ts';
export { macGenerator } from './mac.ts';
export { dotGenerator } from './dot.ts';
export { systolicGenerator } from './systolic.ts';
export { gemmTileGenerator } from './gemm-tile.ts';
export { requantizerGenerator } from './requantizer.ts';
export { fpConvertGenerator } from './fp-convert.ts';
export { fpMulGenerator } from './fp-mul.ts';
export { fpMacGenerator } from './fp-mac.ts';
export { fpDotGenerator } from './fp-dot.ts';
export { mxDotGenerator } from './mx-dot.ts';
export { buildMac, buildMacI8, type MacParams } from './mac.ts';
export { buildDot, buildDotI8x16, type DotParams } from './dot.ts';
export { buildSystolic, type SystolicParams, type SystolicFloatParams, type Dataflow } from './systolic.ts';
export { buildGemmTile, type GemmTileParams } from './gemm-tile.ts';
export { buildRequantizer, type RequantizerParams } from './requantizer.ts';
export { buildFpConvert, type FpConvertParams } from './fp-convert.ts';
export { buildFpMul, type FpMulParams } from './fp-mul.ts';
export { buildFpMac, type FpMacParams } from './fp-mac.ts';
export { buildFpDot, type FpDotParams } from './fp-dot.ts';
export { buildMxDot, type MxDotParams } from './mx-dot.ts';
