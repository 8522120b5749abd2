// Shared by the float generator tests: build through the registry as a design file would, make
// the golden model from the same parsed params, compare on the built-in simulator, and run
// verifyDesign on a real simulator.
import { expect } from 'vitest';
import { join } from 'node:path';
import { GENERATORS } from '../../../dsl/npu/registry.ts';
import { topModule, type Design } from '../../../dsl/ir/nodes.ts';
import { Simulator } from '../../../sim/eval/simulator.ts';
import { MODELS } from '../../../sim/models/registry.ts';
import type { StimulusRow, TransactionModel } from '../../../sim/models/types.ts';
import { verifyDesign, type VerifyResult } from '../../../sim/cosim/verify.ts';
import type { SimulatorName } from '../../../sim/cosim-run.ts';
import { testCacheDir } from '../../helpers/simulators.ts';

export type Raw = Record<string, unknown>;

export function fromRegistry(gen: string, raw: Raw, name = 'dut'): { design: Design; model: TransactionModel; params: Raw } {
  const g = GENERATORS[gen]!;
  const params: Raw = {};
  for (const [k, spec] of Object.entries(g.params)) {
    const v = k in raw ? spec.parse(raw[k]) : spec.default;
    if (typeof v === 'object' && v !== null && 'error' in v) throw new Error(`param ${k}: ${String((v as { error: string }).error)}`);
    params[k] = v;
  }
  return { design: g.build(name, params as never), model: MODELS[gen]!(params), params };
}

const hex = (x: bigint): string => `0x${x.toString(16)}`;

/** Runs rows through the built-in simulator (reset first when the design is clocked). */
export function compare(design: Design, model: TransactionModel, rows: readonly StimulusRow[]): { bad: number; first: string[] } {
  const sim = new Simulator(design);
  const L = model.latency;
  if (topModule(design).reset !== undefined) sim.step(Object.fromEntries(model.inputs.map((p) => [p.name, 0n])), true);
  const got: bigint[][] = [];
  for (let i = 0; i < rows.length + L; i++) {
    const r = rows[Math.min(i, rows.length - 1)]!;
    const o = sim.step(Object.fromEntries(model.inputs.map((p, j) => [p.name, r[j]!])));
    if (i >= L) got.push(model.outputs.map((p) => o[p.name]!));
  }
  const exp = model.expected(rows);
  let bad = 0;
  const first: string[] = [];
  exp.forEach((e, i) => {
    if (e.some((v, j) => v !== got[i]![j])) {
      if (first.length < 4) first.push(`row ${i} [${rows[i]!.map(hex).join(', ')}]: got [${got[i]!.map(hex).join(', ')}], expected [${e.map(hex).join(', ')}]`);
      bad++;
    }
  });
  return { bad, first };
}

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
