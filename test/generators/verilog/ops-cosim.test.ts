/**
 * Every operator case of the exhaustive operator tests (widths 1..4, signed, unsigned and
 * mixed, params swept), emitted as Verilog and run on Icarus and Verilator, bit for bit equal
 * to the built-in simulator. Batched: one design, inputs x, y (4 bits) and s (1 bit), the
 * cases' results packed into 64-bit outputs (one port per case made the testbench, not the
 * design, three quarters of a cold Verilator build); stimulus: all 512 (x, y, s) rows, so every
 * operand pair of widths <= 4 appears. The chain is closed: builtin responses are checked
 * against the independent reference first, then the RTL against the builtin responses.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emitVerilog } from '../../../generators/verilog/emit.ts';
import { builtinResponses, testbenchModelOf } from '../../../sim/cosim/ir-testbench.ts';
import { runTestbench } from '../../../sim/cosim-run.ts';
import { allInputRows, buildPackedOpsDesign, refOutput, tyName, unpackCase, validOpCases, type OpCase, type PackedCase } from '../../helpers/op-reference.ts';
import { describeWithTools, SIMULATORS, testCacheDir } from '../../helpers/simulators.ts';

const CASES = validOpCases();
const { design, packed } = buildPackedOpsDesign('ops_cosim', CASES, 64);
const rows = allInputRows();
const model = testbenchModelOf(design, rows.length);
const expected = builtinResponses(design, model, rows);
const sources = emitVerilog(design).map((f) => ({ name: f.fileName, text: f.text }));
const show = (c: OpCase): string => `${c.op}(${c.args.map(tyName).join(', ')}) ${JSON.stringify(c.params)}`;

const base = await mkdtemp(join(tmpdir(), 'npugen-ops-cosim-'));
afterAll(() => rm(base, { recursive: true, force: true }));

describe('operator cases: built-in simulator', () => {
  it('has the input ports x, y, s and every case in its own slice of one packed output', () => {
    expect(model.inputs.map((p) => p.name)).toEqual(['x', 'y', 's']);
    expect(packed.map((p) => p.index)).toEqual(CASES.map((_, i) => i));
    const outputs = model.outputs.map((p) => p.width);
    expect(outputs.length).toBeLessThan(CASES.length / 4);
    outputs.forEach((width, g) => {
      const slices = packed.filter((p) => p.output === g);
      expect(width).toBeLessThanOrEqual(64);
      // Contiguous from bit 0, no gaps or overlaps, filling the port exactly.
      expect(slices.reduce((lsb, p) => (expect(p.lsb).toBe(lsb), lsb + p.width), 0)).toBe(width);
    });
  });

  it('equals the independent reference on every row and case', () => {
    const bad: string[] = [];
    rows.forEach((row, r) => {
      CASES.forEach((c, i) => {
        const want = BigInt(refOutput(c, row));
        const p = packed[i]!;
        const got = unpackCase(expected[r]![p.output]!, p);
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
      const detail = r.mismatches.flatMap((m) => {
        const row = rows[m.vectorIndex]!;
        const inPort = packed.filter((p) => `p${p.output}` === m.port);
        const differs = (p: PackedCase): boolean => m.got === null || unpackCase(m.got, p) !== unpackCase(m.expected, p);
        return inPort.filter(differs).map((p) => {
          const got = m.got === null ? 'X/Z' : unpackCase(m.got, p);
          return `${show(CASES[p.index]!)} x=${row[0]} y=${row[1]} s=${row[2]}: ${simulator} ${got}, builtin ${unpackCase(m.expected, p)}`;
        });
      });
      expect(detail, `run directory ${r.runDir}`).toEqual([]);
      expect(r.counts).toMatchObject({ vectors: rows.length, checked: rows.length, mismatches: 0, xz: 0 });
      expect(r.passed).toBe(true);
    }, 300_000);
  });
}
