// The checker must be able to fail: faults planted in the generated MAC's RTL are reported by
// `verifyDesign` against the golden model, at the vector an independent prediction names, on
// Icarus and on Verilator.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildMacI8 } from '../../../dsl/npu/mac.ts';
import { emitVerilog } from '../../../generators/verilog/emit.ts';
import { verifyDesign } from '../../../sim/cosim/verify.ts';
import { instantiate } from '../../../catalog/index.ts';
import { buildStimulus } from '../../../sim/cosim/stimulus.ts';
import { describeWithTools, runsOn, SIMULATORS } from '../../helpers/simulators.ts';
import { replaceOnce, type Mutation } from '../../helpers/faults.ts';

const design = buildMacI8();
const { model } = instantiate('mac', { a: 'int8', b: 'int8', accumulator: 'int32', k: 1, overflow: 'wrap' });
const PLAN = { vectors: 400, seed: 7, corners: true } as const;
const stim = buildStimulus(model, { random: PLAN.vectors, seed: PLAN.seed, corners: true, exhaustive: false }).vectors.toRows();
const golden = model.expected(stim).map((r) => r[0]!);

/** First index where `pred` holds, from the stimulus and golden outputs alone. */
function firstWhere(pred: (i: number) => boolean): number {
  for (let i = 0; i < stim.length; i++) if (pred(i)) return i;
  throw new Error('prediction found no vector');
}

const [A, B, EN] = [0, 1, 2];
const FAULTS: { mutation: Mutation; first: number }[] = [
  {
    mutation: replaceOnce('accumulator bit 5 stuck at 0', /acc <= (en \? [^;]+);/, (m) => `acc <= (${m[1]}) & ~32'h20;`),
    first: firstWhere((i) => ((golden[i]! >> 5n) & 1n) === 1n),
  },
  {
    mutation: replaceOnce('adder flipped to a subtractor', /(sum = [^;+]+) \+ /, (m) => `${m[1]} - `),
    first: firstWhere((i) => stim[i]![EN] === 1n && stim[i]![A]! * stim[i]![B]! !== 0n),
  },
  {
    mutation: replaceOnce('sign extension of a replaced by zero extension', /\{\{8\{a\[7\]\}\}, a\}/, () => `{8'h0, a}`),
    first: firstWhere((i) => stim[i]![EN] === 1n && stim[i]![A]! < 0n && stim[i]![B]! !== 0n),
  },
  {
    mutation: replaceOnce('output one cycle late', /assign acc_out = acc;/, () => `reg [31:0] acc_late;\n  always @(posedge clk) acc_late <= acc;\n  assign acc_out = acc_late;`),
    first: firstWhere((i) => golden[i] !== (i === 0 ? 0n : golden[i - 1])),
  },
];

describe('fault predictions', () => {
  test('each fault is first visible at a distinct, early vector', () => {
    for (const f of FAULTS) expect(f.first).toBeLessThan(stim.length);
  });
});

describeWithTools('icarus', 'planted faults in the mac are caught', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'npugen-faults-'));
  const clean = emitVerilog(design)[0]!.text;
  for (const simulator of SIMULATORS) {
    for (const [i, f] of FAULTS.entries()) {
      if (!runsOn(simulator, i)) continue;
      test(`${simulator}: ${f.mutation.name}`, async () => {
        const file = path.join(dir, `${simulator}-${f.mutation.name.replace(/\W+/g, '_')}`, 'mac_i8.v');
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, f.mutation.apply(clean));
        const r = await verifyDesign(design, { model, simulators: [simulator], ...PLAN, rtlFiles: [file], maxMismatchRecords: 5 });
        const o = r.outcomes[0]!;
        expect(o.passed).toBe(false);
        expect(o.mismatches[0]).toMatchObject({ vectorIndex: f.first, port: 'acc_out' });
      });
    }
  }
});
