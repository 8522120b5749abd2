/**
 * Built-in simulator versus a transaction model, through the same `runBuiltin` the verify flow
 * uses (same reset/idle lead, same validBy masks), for fast generator tests without an RTL
 * simulator. Returns the number of mismatching (row, port) pairs and the first few described.
 */
import { expect } from 'vitest';
import { topModule, type Design } from '../../dsl/ir/nodes.ts';
import { runBuiltin } from '../../sim/cosim/builtin-run.ts';
import { testbenchModelOf } from '../../sim/cosim/ir-testbench.ts';
import type { StimulusRow, TransactionModel } from '../../sim/models/types.ts';
import type { TestbenchModel } from '../../generators/testbench/model.ts';
import { instantiate } from '../../catalog/index.ts';

export type RawParams = Record<string, unknown>;

/**
 * Builds a generator through the registry exactly as a design file would (each raw param
 * parsed by its spec, defaults filled in) and makes its transaction model from the same
 * parsed params.
 */
export function fromRegistry(gen: string, raw: RawParams, name = 'dut'): { design: Design; model: TransactionModel; params: Readonly<RawParams> } {
  return instantiate(gen, raw, name);
}

export function compareWithModel(design: Design, model: TransactionModel, rows: readonly StimulusRow[], describe = 4): { bad: number; first: string[] } {
  const tb: TestbenchModel = {
    ...testbenchModelOf(design, rows.length, model.latency),
    inputs: model.inputs.map(({ name, width, signed }) => ({ name, width, signed })),
    outputs: model.outputs.map(({ name, width, signed, validBy }) => ({ name, width, signed, ...(validBy !== undefined ? { validBy } : {}) })),
  };
  const r = runBuiltin(design, tb, rows, model.expected(rows), describe);
  const first = r.mismatches.map((m) => `row ${m.vectorIndex} [${rows[m.vectorIndex]!.join(', ')}] port ${m.port}: got ${m.got}, expected ${m.expected}`);
  return { bad: r.counts.mismatches, first };
}

/** The design's data ports (names, widths, signedness, in order) and latency are the model's. */
export function expectPortsMatch(design: Design, model: TransactionModel): void {
  const top = topModule(design);
  const ports = (kind: 'input' | 'output') => top.signals.filter((s) => s.kind === kind && s.role === undefined).map((s) => `${s.name}:${s.type.signed ? 's' : 'u'}${s.type.width}`);
  expect(ports('input')).toEqual(model.inputs.map((p) => `${p.name}:${p.signed ? 's' : 'u'}${p.width}`));
  expect(ports('output')).toEqual(model.outputs.map((p) => `${p.name}:${p.signed ? 's' : 'u'}${p.width}`));
  expect(top.latency).toBe(model.latency);
}
