// Shared by the float generator tests: build through the registry as a design file would, make
// the golden model from the same parsed params, compare on the built-in simulator, and run
// verifyDesign on a real simulator.
import { expect } from 'vitest';
import { join } from 'node:path';
import { topModule, type Design } from '../../../dsl/ir/nodes.ts';
import type { TransactionModel } from '../../../sim/models/types.ts';
import { verifyDesign, type VerifyResult } from '../../../sim/cosim/verify.ts';
import type { SimulatorName } from '../../../sim/cosim-run.ts';
import { testCacheDir } from '../../helpers/simulators.ts';

export type Raw = Record<string, unknown>;
export { compareWithModel as compare } from '../../helpers/model-check.ts';
import { fromRegistry } from '../../helpers/model-check.ts';
export { fromRegistry };


const hex = (x: bigint): string => `0x${x.toString(16)}`;


export function checkPorts(design: Design, model: TransactionModel): void {
  const top = topModule(design);
  const ports = (kind: 'input' | 'output') => top.signals.filter((s) => s.kind === kind && s.role === undefined).map((s) => `${s.name}:${s.type.signed ? 's' : 'u'}${s.type.width}`);
  expect(ports('input')).toEqual(model.inputs.map((p) => `${p.name}:${p.signed ? 's' : 'u'}${p.width}`));
  expect(ports('output')).toEqual(model.outputs.map((p) => `${p.name}:${p.signed ? 's' : 'u'}${p.width}`));
  expect(top.latency).toBe(model.latency);
}

/** Cold Verilator builds of the wider float datapaths take minutes on a loaded 2-core machine. */
export const SIM_TIMEOUT_MS = 600_000;

/** verifyDesign on one real simulator; asserts no mismatch and that every row was checked. */
export async function verifyOn(sim: SimulatorName, gen: string, name: string, raw: Raw, plan: { vectors: number; exhaustive?: boolean; corners?: boolean }): Promise<VerifyResult> {
  const { design, model } = fromRegistry(gen, raw, name);
  const r = await verifyDesign(design, {
    model, simulators: [sim], vectors: plan.vectors, seed: 23, corners: plan.corners ?? true, exhaustive: plan.exhaustive ?? false,
    runDirFor: (s) => join(testCacheDir(), `${gen}-${s}-${name}`),
  });
  const o = r.outcomes[0]!;
  expect(o.counts.mismatches, JSON.stringify(o.mismatches.slice(0, 3), (_k, v: unknown) => (typeof v === 'bigint' ? hex(v) : v))).toBe(0);
  expect(o.counts.checked).toBe(r.stimulus.length);
  expect(r.passed).toBe(true);
  return r;
}
