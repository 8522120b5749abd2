/**
 * From a design to the co-simulation side: the testbench model of its top module, seeded
 * random stimulus over its inputs, and expected outputs from the built-in simulator.
 */
import type { Design } from '../../dsl/ir/nodes.ts';
import { topModule } from '../../dsl/ir/nodes.ts';
import type { TestbenchModel } from '../../generators/testbench/model.ts';
import { Rng } from '../random.ts';
import { randomCode } from '../models/ports.ts';
import { simulateBuiltin } from './builtin-run.ts';
import type { Port } from '../../formats/port.ts';
import type { SimEngine } from '../eval/simulator.ts';

/** Reset cycles applied before vector 0 when the design has a reset. */
export const RESET_CYCLES = 2;

export function testbenchModelOf(design: Design, vectorCount: number, latency = 0): TestbenchModel {
  const top = topModule(design);
  const ports = (kind: 'input' | 'output'): Port[] =>
    top.signals.filter((s) => s.kind === kind && s.role === undefined).map((s) => ({ name: s.name, width: s.type.width, signed: s.type.signed }));
  const clock = top.clock !== undefined ? top.signals[top.clock]!.name : undefined;
  const reset = top.reset !== undefined ? top.signals[top.reset]!.name : undefined;
  return {
    top: top.name,
    ...(clock !== undefined ? { clock } : {}),
    ...(reset !== undefined ? { reset: { name: reset, activeHigh: true, cycles: RESET_CYCLES } } : {}),
    inputs: ports('input'),
    outputs: ports('output'),
    latency,
    vectorCount,
  };
}

/** `count` rows of uniform random values for the model's inputs (exact, any width). */
export function randomStimulus(model: TestbenchModel, count: number, seed: number): bigint[][] {
  const rng = new Rng(seed);
  const rows: bigint[][] = [];
  for (let i = 0; i < count; i++) rows.push(model.inputs.map((p) => randomCode(p, rng)));
  return rows;
}

/**
 * Outputs of the built-in simulator for each stimulus row, sampled in the same cycle the row
 * is applied (latency 0 in the testbench's timing contract), after the same reset or idle lead.
 */
export function builtinResponses(design: Design, model: TestbenchModel, stimulus: readonly (readonly bigint[])[], engine?: (d: Design) => SimEngine): bigint[][] {
  return simulateBuiltin(design, { ...model, latency: 0 }, stimulus, engine);
}

/** Most input bits `exhaustiveStimulus` enumerates (2^16 rows), as for designs with a golden model. */
export const EXHAUSTIVE_MAX_BITS = 16;

/**
 * Every combination of the data inputs, one row each (the first port varies slowest; signed
 * ports as signed values), or undefined when the inputs have more than EXHAUSTIVE_MAX_BITS bits.
 */
export function exhaustiveStimulus(model: TestbenchModel): bigint[][] | undefined {
  const bits = model.inputs.reduce((s, p) => s + p.width, 0);
  if (bits > EXHAUSTIVE_MAX_BITS) return undefined;
  const rows: bigint[][] = [];
  for (let code = 0; code < 2 ** bits; code++) {
    let rest = BigInt(code);
    const row = new Array<bigint>(model.inputs.length);
    for (let i = model.inputs.length - 1; i >= 0; i--) {
      const p = model.inputs[i]!;
      const v = rest & ((1n << BigInt(p.width)) - 1n);
      rest >>= BigInt(p.width);
      row[i] = p.signed && v >> BigInt(p.width - 1) === 1n ? v - (1n << BigInt(p.width)) : v;
    }
    rows.push(row);
  }
  return rows;
}
