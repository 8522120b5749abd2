/** npugen's library entry point: the DSL, Verilog emission, simulation and verification. */
export * from './dsl/index.ts';
export { buildMac, buildMacI8 } from './dsl/npu/mac.ts';
export { GENERATORS, instantiate, defineGenerator } from './catalog/index.ts';
export { rtlGenerator, type GeneratorParams } from './dsl/npu/define.ts';
export { emitVerilog, emitVerilogText } from './generators/verilog/emit.ts';
export { Simulator } from './sim/eval/simulator.ts';
export { verifyDesign } from './sim/cosim/verify.ts';
export { runTestbench } from './sim/cosim-run.ts';
export { lintRtl } from './sim/lint.ts';
