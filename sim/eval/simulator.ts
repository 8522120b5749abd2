/**
 * The built-in simulator: runs the pass pipeline's output (dsl/passes/pipeline.ts), the same
 * lowered netlist the Verilog emitter prints, so `--sim builtin` checks what the RTL is made of.
 * Its default engine is compiled to JavaScript (compiled.ts); the interpreter (interpreter.ts)
 * is the reference engine the tests compare it against.
 *
 * Cycle contract (the same as the generated testbench): `step(inputs)` applies the inputs,
 * settles combinational logic, samples every output, then applies one rising clock edge.
 */
import type { Design } from '../../dsl/ir/nodes.ts';
import { runPipeline } from '../../dsl/passes/pipeline.ts';
import { Interpreter } from './interpreter.ts';
import { CompiledSimulator } from './compiled.ts';

export { Interpreter, CompiledSimulator };

/** What every engine of the built-in simulator offers (see the cycle contract above). */
export interface SimEngine {
  /** Holds reset high for `cycles` cycles with all data inputs at 0. */
  reset(cycles?: number): void;
  /** One cycle: apply inputs, settle, sample outputs, clock edge. Returns the sampled outputs. */
  step(inputs: Readonly<Record<string, bigint>>, reset?: boolean): Record<string, bigint>;
}

/** The built-in simulator's default engine: the pipeline's output, compiled. */
export class Simulator extends CompiledSimulator {
  constructor(design: Design) {
    super(runPipeline(design));
  }
}

/** The reference engine on the design exactly as given (no pipeline): what tests compare against. */
export function referenceEngine(design: Design): SimEngine {
  return new Interpreter(design);
}

/** The reference engine on the pipeline's output (what the old built-in simulator ran, lowered). */
export function interpretedEngine(design: Design): SimEngine {
  return new Interpreter(runPipeline(design));
}
