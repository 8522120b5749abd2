/**
 * The built-in simulator as one more simulator under test: it runs the same stimulus with the
 * testbench's timing contract and compares against the same expected rows, honouring `validBy`,
 * so its results line up with the RTL simulators' result files.
 */
import type { Design } from '../../dsl/ir/nodes.ts';
import type { TestbenchModel } from '../../generators/testbench/model.ts';
import type { Mismatch, ResultCounts } from '../results.ts';
import { Simulator, type SimEngine } from '../eval/simulator.ts';

export interface BuiltinRun {
  readonly mismatches: readonly Mismatch[];
  readonly counts: ResultCounts;
  readonly passed: boolean;
  readonly outputs: readonly (readonly bigint[])[];
  readonly simulateMs: number;
}

/**
 * Runs the stimulus on the built-in simulator with the testbench's timing contract (reset or
 * one idle cycle first, zeros after the last vector) and returns row i = the outputs sampled
 * `model.latency` cycles after stimulus row i is applied. `engine` builds the simulator
 * (default: the built-in simulator on the pipeline's output; tests pass the reference engine).
 */
export function simulateBuiltin(design: Design, model: TestbenchModel, stimulus: readonly (readonly bigint[])[], engine: (d: Design) => SimEngine = (d) => new Simulator(d)): bigint[][] {
  const sim = engine(design);
  const zeros = Object.fromEntries(model.inputs.map((p) => [p.name, 0n]));
  const lead = Math.max(model.reset?.cycles ?? 0, 1);
  for (let i = 0; i < lead; i++) sim.step(zeros, model.reset !== undefined && i < model.reset.cycles);
  const outputs: bigint[][] = [];
  const inNames = model.inputs.map((p) => p.name);
  const outNames = model.outputs.map((p) => p.name);
  // One input record, refilled per row: both engines copy the values in before `step` returns.
  const inputs: Record<string, bigint> = { ...zeros };
  for (let i = 0; i < stimulus.length + model.latency; i++) {
    // After the last vector the inputs are zero, as in the generated testbench.
    const row = stimulus[i];
    if (row) for (let k = 0; k < inNames.length; k++) inputs[inNames[k]!] = row[k]!;
    const out = sim.step(row ? inputs : zeros);
    if (i >= model.latency) outputs.push(outNames.map((n) => out[n]!));
  }
  return outputs;
}

export function runBuiltin(design: Design, model: TestbenchModel, stimulus: readonly (readonly bigint[])[], expected: readonly (readonly bigint[])[], maxRecords = 100): BuiltinRun {
  const started = performance.now();
  const outputs = simulateBuiltin(design, model, stimulus);
  const lead = Math.max(model.reset?.cycles ?? 0, 1);
  const validIndex = new Map(model.outputs.map((p, k) => [p.name, k]));
  const mismatches: Mismatch[] = [];
  let count = 0;
  let failing = 0;
  outputs.forEach((got, v) => {
    const exp = expected[v]!;
    let bad = false;
    model.outputs.forEach((p, k) => {
      if (p.validBy !== undefined && exp[validIndex.get(p.validBy)!] !== 1n) return;
      if (got[k] === exp[k]) return;
      bad = true;
      count++;
      if (mismatches.length < maxRecords) mismatches.push({ vectorIndex: v, cycle: lead + v + model.latency, port: p.name, got: got[k]!, expected: exp[k]!, hasXZ: false });
    });
    if (bad) failing++;
  });
  const counts: ResultCounts = { vectors: stimulus.length, checked: outputs.length, failingVectors: failing, mismatches: count, xz: 0, records: mismatches.length, cycles: lead + stimulus.length + model.latency };
  return { mismatches, counts, passed: count === 0, outputs, simulateMs: performance.now() - started };
}
