/**
 * Built-in simulator versus a transaction model, through the same `runBuiltin` the verify flow
 * uses (same reset/idle lead, same validBy masks), for fast generator tests without an RTL
 * simulator. Returns the number of mismatching (row, port) pairs and the first few described.
 */
import type { Design } from '../../dsl/ir/nodes.ts';
import { runBuiltin } from '../../sim/cosim/builtin-run.ts';
import { testbenchModelOf } from '../../sim/cosim/ir-testbench.ts';
import type { StimulusRow, TransactionModel } from '../../sim/models/types.ts';
import type { TestbenchModel } from '../../generators/testbench/model.ts';

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
