// Two lanes swapped in the generated 16-lane dot product's RTL (a0 and a1 exchanged before
// their multipliers) is caught by verify against the golden model, on Icarus and Verilator,
// at the first vector where (a0 - a1)(b0 - b1) != 0, the only vectors where the swap matters.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { loadYamlDesign } from '../../../cli/design-file.ts';
import { emitVerilog } from '../../../generators/verilog/emit.ts';
import { verifyDesign } from '../../../sim/cosim/verify.ts';
import { buildStimulus } from '../../../sim/cosim/stimulus.ts';
import { describeWithTools, SIMULATORS } from '../../helpers/simulators.ts';
import { replaceOnce } from '../../helpers/faults.ts';

const loaded = loadYamlDesign('dot.yaml', 'generator: dot\nname: dot_i8x16\nparams: { lanes: 16, a: int8, b: int8, accumulator: auto, pipeline_stages: 2 }\n');
const model = loaded.model;
const PLAN = { vectors: 300, seed: 11, corners: true } as const;
const rows = buildStimulus(model, { random: PLAN.vectors, seed: PLAN.seed, corners: true, exhaustive: false }).vectors.toRows();
const col = (name: string) => model.inputs.findIndex((p) => p.name === name);
const [A0, A1, B0, B1] = ['a0', 'a1', 'b0', 'b1'].map(col) as [number, number, number, number];
const first = rows.findIndex((r) => (r[A0]! - r[A1]!) * (r[B0]! - r[B1]!) !== 0n);

const swap = replaceOnce('lanes a0 and a1 swapped', /\{\{8\{a0\[7\]\}\}, a0\}([^\n]*\n[\s\S]*?)\{\{8\{a1\[7\]\}\}, a1\}/, (m) => `{{8{a1[7]}}, a1}${m[1]}{{8{a0[7]}}, a0}`);

describeWithTools('icarus', 'a lane swap in the dot product is caught', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'npugen-lane-swap-'));
  const text = swap.apply(emitVerilog(loaded.design).find((f) => f.module === 'dot_i8x16')!.text);
  test('the prediction names an early vector', () => expect(first).toBeGreaterThanOrEqual(0));
  for (const simulator of SIMULATORS) {
    test(`${simulator}: reported at the predicted vector on port y`, async () => {
      const file = path.join(dir, simulator, 'dot_i8x16.v');
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      const r = await verifyDesign(loaded.design, { model, simulators: [simulator], ...PLAN, rtlFiles: [file], maxMismatchRecords: 3 });
      expect(r.outcomes[0]!.passed).toBe(false);
      expect(r.outcomes[0]!.mismatches[0]).toMatchObject({ vectorIndex: first, port: 'y' });
    });
  }
});
