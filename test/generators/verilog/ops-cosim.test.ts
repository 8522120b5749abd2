/**
 * Every operator case of the exhaustive operator tests (widths 1..4, signed, unsigned and
 * mixed, params swept), emitted as Verilog and run on Icarus and Verilator, bit for bit equal
 * to the built-in simulator. Batched: one design, inputs x, y (4 bits) and s (1 bit), one
 * output per case; stimulus: all 512 (x, y, s) rows, so every operand pair of widths <= 4
 * appears. The chain is closed: builtin responses are checked against the independent
 * reference first, then the RTL against the builtin responses.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emitVerilog } from '../../../generators/verilog/emit.ts';
import { builtinResponses, testbenchModelOf } from '../../../sim/cosim/ir-testbench.ts';
import { runTestbench } from '../../../sim/cosim-run.ts';
import { allInputRows, buildOpsDesign, refOutput, tyName, validOpCases, type OpCase } from '../../helpers/op-reference.ts';
import { describeWithTools, SIMULATORS, testCacheDir } from '../../helpers/simulators.ts';

const CASES = validOpCases();
const design = buildOpsDesign('ops_cosim', CASES);
const rows = allInputRows();
const model = testbenchModelOf(design, rows.length);
const expected = builtinResponses(design, model, rows);
const sources = emitVerilog(design).map((f) => ({ name: f.fileName, text: f.text }));
const show = (c: OpCase): string => `${c.op}(${c.args.map(tyName).join(', ')}) ${JSON.stringify(c.params)}`;

const base = await mkdtemp(join(tmpdir(), 'npugen-ops-cosim-'));
afterAll(() => rm(base, { recursive: true, force: true }));

describe('operator cases: built-in simulator', () => {
  it('has one output per case and the input ports x, y, s', () => {
    expect(model.inputs.map((p) => p.name)).toEqual(['x', 'y', 's']);
    expect(model.outputs).toHaveLength(CASES.length);
  });

  it('equals the independent reference on every row and case', () => {
    const bad: string[] = [];
    rows.forEach((row, r) => {
      CASES.forEach((c, i) => {
        const want = BigInt(refOutput(c, row));
        const got = expected[r]![i]!;
        if (got !== want && bad.length < 20) bad.push(`${show(c)} x=${row[0]} y=${row[1]} s=${row[2]}: reference ${want}, builtin ${got}`);
      });
    });
    expect(bad).toEqual([]);
  });
});

for (const simulator of SIMULATORS) {
  describeWithTools(simulator, `operator cases on ${simulator}`, () => {
    it('match the built-in simulator bit for bit', async () => {
      const r = await runTestbench({
        model, sources, stimulus: rows, expected, simulator,
        runDir: join(base, simulator), cacheDir: testCacheDir(), verilatorCppOpt: '-O0', maxMismatchRecords: 40,
      });
      const byName = new Map(CASES.map((c, i) => [`o${i}`, c]));
      const detail = r.mismatches.map((m) => {
        const row = rows[m.vectorIndex]!;
        return `${show(byName.get(m.port)!)} x=${row[0]} y=${row[1]} s=${row[2]}: ${simulator} ${m.got}, builtin ${m.expected}`;
      });
      expect(detail, `run directory ${r.runDir}`).toEqual([]);
      expect(r.counts).toMatchObject({ vectors: rows.length, checked: rows.length, mismatches: 0, xz: 0 });
      expect(r.passed).toBe(true);
    }, 300_000); // a cold Verilator build of 1324 outputs takes 30-60 s on a loaded 2-core machine
  });
}
