/**
 * Verification of a design's RTL: the emitted Verilog runs on Icarus and/or Verilator with
 * the same vectors, and every output of every cycle is compared against a reference. The
 * reference here is the built-in simulator of the same IR (an independent execution path:
 * op-table evaluation versus lowering, printing and a real simulator).
 */
import type { Design } from '../../dsl/ir/nodes.ts';
import { topModule } from '../../dsl/ir/nodes.ts';
import type { SourceLoc } from '../../dsl/diagnostics/loc.ts';
import { emitVerilog } from '../../generators/verilog/emit.ts';
import type { TestbenchModel } from '../../generators/testbench/model.ts';
import { runTestbench, type RunTestbenchResult, type SimulatorName } from '../cosim-run.ts';
import { builtinResponses, randomStimulus, testbenchModelOf } from './ir-testbench.ts';

export interface VerifyOptions {
  readonly simulators: readonly SimulatorName[];
  readonly vectors: number;
  readonly seed: number;
  readonly maxMismatchRecords?: number;
  /** Extra RTL replacing the generated Verilog (bring your own RTL). */
  readonly rtlFiles?: readonly string[];
  readonly runDirFor?: (sim: SimulatorName) => string;
}

export interface SimulatorOutcome {
  readonly simulator: SimulatorName;
  readonly result: RunTestbenchResult;
}

export interface VerifyResult {
  readonly model: TestbenchModel;
  readonly outcomes: readonly SimulatorOutcome[];
  readonly passed: boolean;
  /** Where each output port is driven in the user's source. */
  readonly driverLocs: ReadonlyMap<string, SourceLoc>;
}

export async function verifyDesign(design: Design, opts: VerifyOptions): Promise<VerifyResult> {
  const model = testbenchModelOf(design, opts.vectors);
  const stimulus = randomStimulus(model, opts.vectors, opts.seed);
  const expected = builtinResponses(design, model, stimulus);
  const sources = opts.rtlFiles && opts.rtlFiles.length > 0
    ? opts.rtlFiles.map((path) => ({ path }))
    : emitVerilog(design).map((f) => ({ name: f.fileName, text: f.text }));
  const outcomes: SimulatorOutcome[] = [];
  for (const simulator of opts.simulators) {
    const result = await runTestbench({
      model, sources, stimulus, expected, simulator,
      ...(opts.maxMismatchRecords !== undefined ? { maxMismatchRecords: opts.maxMismatchRecords } : {}),
      ...(opts.runDirFor ? { runDir: opts.runDirFor(simulator) } : {}),
    });
    outcomes.push({ simulator, result });
  }
  return { model, outcomes, passed: outcomes.every((o) => o.result.passed), driverLocs: outputDriverLocs(design) };
}

export function outputDriverLocs(design: Design): Map<string, SourceLoc> {
  const top = topModule(design);
  const locs = new Map<string, SourceLoc>();
  for (const c of top.connects) {
    const s = top.signals[c.target]!;
    if (s.kind === 'output') locs.set(s.name, c.loc);
  }
  return locs;
}
