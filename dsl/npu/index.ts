/**
 * `npugen/generators`: the NPU datapath generators. GENERATORS is the table design files name
 * (`generator: <name>`, with parameter specs); the build functions take typed params directly.
 */
export { GENERATORS } from './registry.ts';
export type { GeneratorEntry } from './registry.ts';
export type { ParamSpec } from './params.ts';
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
