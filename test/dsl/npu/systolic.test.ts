// systolic_array vs its transaction model (golden GEMM): built-in simulator over shapes, formats
// and both dataflows with back-to-back GEMMs; the protocol's timing pinned; planted faults
// caught; lint-clean and latch-free RTL; Icarus and Verilator runs of 2x2, 3x5 and 8x8.
import { describe, expect, test } from 'vitest';
import { instantiate } from '../../../catalog/index.ts';
import { buildSystolic, systolicAccumulator, systolicLatency, type SystolicParams } from '../../../dsl/npu/systolic.ts';
import { topModule, type Design } from '../../../dsl/ir/nodes.ts';
import { formatName, parseFixedFormat } from '../../../formats/number-format.ts';
import { type FixedFormat } from '../../../formats/fixed.ts';
import { emitVerilog } from '../../../generators/verilog/emit.ts';
import { Simulator } from '../../../sim/eval/simulator.ts';
import { lintRtl } from '../../../sim/lint.ts';
import { verifyDesign } from '../../../sim/cosim/verify.ts';
import { systolicModel, type SystolicModel } from '../../../sim/models/systolic.ts';
import type { TransactionModel } from '../../../sim/models/types.ts';
import { Rng } from '../../../sim/random.ts';
import { describeWithTools, runsOn, testCacheDir } from '../../helpers/simulators.ts';
import { plantArrayFault, type ArrayFault } from '../../helpers/faults.ts';
import { join } from 'node:path';

type Raw = Record<string, unknown>;
const fmt = (s: string): FixedFormat => parseFixedFormat(s) as FixedFormat;

/** Builds through the registry (as a design file would) and makes the model from the same params. */
function fromRegistry(raw: Raw, name = 'dut'): { design: Design; model: TransactionModel; params: Readonly<Raw> } {
  return instantiate('systolic_array', raw, name);
}

/** `fault`: planted in the built design (test/helpers/faults.ts); the model stays the good one. */
function direct(p: Omit<SystolicParams, 'name'>, fault?: ArrayFault): { design: Design; model: SystolicModel } {
  const full = { name: 'dut', ...p };
  const design = buildSystolic(full);
  return { design: fault ? plantArrayFault(design, fault, p) : design, model: systolicModel({ ...p, accumulator: systolicAccumulator(full) }) };
}

async function builtinVerify(design: Design, model: TransactionModel, vectors: number, seed = 1): Promise<{ passed: boolean; mismatches: number; checked: number }> {
  const r = await verifyDesign(design, { model, simulators: ['builtin'], vectors, seed, corners: true });
  const o = r.outcomes[0]!;
  const valid = r.expected.toRows().filter((e) => e[e.length - 1] === 1n).length;
  return { passed: r.passed, mismatches: o.counts.mismatches, checked: valid };
}

const SHAPES: [number, number][] = [[1, 1], [2, 2], [3, 5], [1, 6], [5, 1], [8, 8]];
const FORMATS: { a: string; b: string; accumulator?: string }[] = [
  { a: 'int8', b: 'int8' },
  { a: 'int4', b: 'int8' },
  { a: 'uint8', b: 'int8' },
  { a: 'fixed<8,4>', b: 'fixed<6,1>', accumulator: 'fixed<24,12>' },
];
const DATAFLOWS = ['output_stationary', 'weight_stationary'] as const;

describe('systolic_array vs the golden GEMM (built-in simulator)', () => {
  for (const dataflow of DATAFLOWS) {
    for (const [rows, cols] of SHAPES) {
      for (const f of FORMATS) {
        // The full format sweep on the small shapes; 8x8 with int8 and uint8 x int8.
        if (rows * cols > 16 && f.a !== 'int8' && f.a !== 'uint8') continue;
        const raw: Raw = { rows, cols, dataflow, a: f.a, b: f.b, accumulator: f.accumulator ?? 'auto', k: dataflow === 'output_stationary' ? 2 * rows + 3 : 0 };
        test(`${dataflow} ${rows}x${cols} ${f.a} x ${f.b} -> ${f.accumulator ?? 'auto'}`, async () => {
          const { design, model } = fromRegistry(raw);
          const top = topModule(design);
          expect(top.latency).toBe(model.latency);
          const r = await builtinVerify(design, model, rows * cols > 16 ? 600 : 400);
          expect(r.checked).toBeGreaterThan(20);
          expect(r).toMatchObject({ passed: true, mismatches: 0 });
        });
      }
    }
  }

  test('explicit accumulators narrower than the exact sum wrap like the golden GEMM modulo 2^W', async () => {
    for (const dataflow of DATAFLOWS) {
      const { design, model } = fromRegistry({ rows: 3, cols: 2, dataflow, a: 'int8', b: 'int8', accumulator: 'int16', k: dataflow === 'output_stationary' ? 9 : 0 });
      expect(model.outputs[0]!.format).toBe('int16');
      expect(await builtinVerify(design, model, 400)).toMatchObject({ passed: true, mismatches: 0 });
    }
  });

  test('auto accumulator: the DSL and the golden library derive the same format', () => {
    for (const [dataflow, rows, a, b, k, want] of [
      ['output_stationary', 4, 'int8', 'int8', 16, 'int20'],
      ['output_stationary', 2, 'uint8', 'int8', 1000, 'int26'],
      ['weight_stationary', 8, 'int8', 'int8', 0, 'int19'],
      ['weight_stationary', 3, 'uint8', 'uint8', 3, 'uint18'],
    ] as const) {
      const full = { name: 'x', rows, cols: 2, dataflow, a: fmt(a), b: fmt(b), accumulator: 'auto' as const, k };
      expect(formatName(systolicAccumulator(full))).toBe(want);
      expect(fromRegistry({ rows, cols: 2, dataflow, a, b, accumulator: 'auto', k }).model.outputs[0]!.format).toBe(want);
    }
  });

  test('long accumulations: K = k = 300 all-min x all-min reaches the auto accumulator\'s exact maximum', async () => {
    const { design, model } = fromRegistry({ rows: 2, cols: 3, dataflow: 'output_stationary', a: 'int8', b: 'int8', accumulator: 'auto', k: 256 });
    const rows = (model as SystolicModel).encodeOs([{ A: [Array(256).fill(-128n), Array(256).fill(127n)], B: Array.from({ length: 256 }, () => [-128n, 127n, 0n]) }]);
    const exp = model.expected(rows);
    expect(exp.find((e) => e[3] === 1n)).toEqual([4194304n, -4161536n, 0n, 1n]);
    expect(compareBuiltin(design, model, rows)).toEqual([]);
  });
});

/** Steps the built-in simulator; returns descriptions of mismatching rows (valid-masked). */
function compareBuiltin(design: Design, model: TransactionModel, rows: readonly (readonly bigint[])[]): string[] {
  const sim = new Simulator(design);
  sim.reset(1);
  const L = model.latency;
  const exp = model.expected(rows);
  const zero = model.inputs.map(() => 0n);
  const bad: string[] = [];
  for (let n = 0; n < rows.length + L; n++) {
    const r = rows[n] ?? zero;
    const o = sim.step(Object.fromEntries(model.inputs.map((p, j) => [p.name, r[j]!])));
    const e = exp[n - L];
    if (!e) continue;
    const valid = e[e.length - 1]!;
    const got = model.outputs.map((p) => o[p.name]!);
    const ok = got.every((g, j) => (model.outputs[j]!.validBy !== undefined && valid !== 1n) || g === e[j]);
    if (!ok && bad.length < 3) bad.push(`row ${n - L}: got [${got.join(', ')}], expected [${e.join(', ')}]`);
  }
  return bad;
}

describe('systolic_array protocol', () => {
  test('output_stationary: row s of C appears rows + cols + s cycles after the last beat; GEMMs rows cycles apart back to back', () => {
    const R = 3;
    const C = 5;
    const { design, model } = direct({ rows: R, cols: C, dataflow: 'output_stationary', a: fmt('int8'), b: fmt('int8'), accumulator: fmt('int32'), k: 4 });
    expect(systolicLatency({ dataflow: 'output_stationary', rows: R, cols: C })).toBe(R + C);
    const rng = new Rng(5);
    const rand = (r: number, c: number) => Array.from({ length: r }, () => Array.from({ length: c }, () => BigInt(rng.below(256) - 128)));
    // Three GEMMs, K = 3, 4, 3: back to back with no gaps (the second K=3 GEMM needs none: 4 >= R).
    const g = [{ A: rand(R, 3), B: rand(3, C) }, { A: rand(R, 4), B: rand(4, C) }, { A: rand(R, 3), B: rand(3, C) }];
    const rows = model.encodeOs(g);
    expect(rows.length).toBe(10 + R - 1);
    const sim = new Simulator(design);
    sim.reset(1);
    const seen: bigint[][] = [];
    const validAt: number[] = [];
    for (let n = 0; n < rows.length + R + C + 2; n++) {
      const r = rows[n] ?? model.inputs.map(() => 0n);
      const o = sim.step(Object.fromEntries(model.inputs.map((p, j) => [p.name, r[j]!])));
      if (o['out_valid'] === 1n) {
        validAt.push(n);
        seen.push(Array.from({ length: C }, (_, j) => o[`c_${j}`]!));
      }
    }
    // Last beats at rows 2, 6, 9.
    const starts = [2, 6, 9].map((n) => n + R + C);
    expect(validAt).toEqual(starts.flatMap((s) => [s, s + 1, s + 2]));
    expect(seen).toEqual(g.flatMap((x) => model.gemm(x.A, x.B)));
  });

  test('weight_stationary: each activation row comes out rows + cols - 1 cycles later, full rate', () => {
    const R = 3;
    const C = 5;
    const { design, model } = direct({ rows: R, cols: C, dataflow: 'weight_stationary', a: fmt('uint8'), b: fmt('int8'), accumulator: 'auto', k: 0 });
    const B = Array.from({ length: R }, (_, t) => Array.from({ length: C }, (_, j) => BigInt((t * 7 + j * 3) % 255 - 127)));
    const A = Array.from({ length: 6 }, (_, m) => Array.from({ length: R }, (_, t) => BigInt((m * 31 + t * 17) % 256)));
    const rows = model.encodeWs([{ B, A }]);
    expect(rows.length).toBe(R + 6 + (R - 2));
    const sim = new Simulator(design);
    sim.reset(1);
    const validAt: number[] = [];
    const seen: bigint[][] = [];
    for (let n = 0; n < rows.length + R + C; n++) {
      const r = rows[n] ?? model.inputs.map(() => 0n);
      const o = sim.step(Object.fromEntries(model.inputs.map((p, j) => [p.name, r[j]!])));
      if (o['out_valid'] === 1n) { validAt.push(n); seen.push(Array.from({ length: C }, (_, j) => o[`c_${j}`]!)); }
    }
    expect(validAt).toEqual([0, 1, 2, 3, 4, 5].map((m) => R + m + R + C - 1));
    expect(seen).toEqual(model.gemm(A, B));
  });

  test('the model rejects stimulus that breaks the protocol', () => {
    const os = direct({ rows: 3, cols: 2, dataflow: 'output_stationary', a: fmt('int8'), b: fmt('int8'), accumulator: fmt('int32'), k: 1 }).model;
    const beat = (last: bigint) => [1n, 2n, 3n, 4n, 5n, 1n, last];
    expect(() => os.expected([beat(1n), beat(1n)])).toThrow(/closer than rows = 3/);
    const ws = direct({ rows: 3, cols: 2, dataflow: 'weight_stationary', a: fmt('int8'), b: fmt('int8'), accumulator: 'auto', k: 3 }).model;
    const load = [0n, 0n, 0n, 1n, 1n, 1n, 0n];
    const act = [1n, 1n, 1n, 0n, 0n, 0n, 1n];
    expect(() => ws.expected([load, load, act])).toThrow(/before 3 weight rows/);
    expect(() => ws.expected([load, load, load, act, load])).toThrow(/changes weights under/);
    expect(() => ws.expected([load, load, load, act, [...act.slice(0, 6), 0n], load])).not.toThrow();
  });

  test('invalid parameters are reported', () => {
    const i8 = fmt('int8');
    const base = { name: 'x', rows: 2, cols: 2, a: i8, b: i8 };
    expect(() => buildSystolic({ ...base, rows: 0, dataflow: 'output_stationary', accumulator: 'auto', k: 1 })).toThrow(/rows/);
    expect(() => buildSystolic({ ...base, dataflow: 'output_stationary', accumulator: 'auto', k: 0 })).toThrow(/needs k >= 1/);
    expect(() => buildSystolic({ ...base, dataflow: 'weight_stationary', accumulator: 'auto', k: 5 })).toThrow(/k must be 0 or 2/);
    expect(() => buildSystolic({ ...base, dataflow: 'output_stationary', accumulator: fmt('uint32'), k: 1 })).toThrow(/signed accumulator/);
    expect(() => buildSystolic({ ...base, a: fmt('fixed<8,2>'), dataflow: 'output_stationary', accumulator: fmt('int32'), k: 1 })).toThrow(/fraction bits/);
  });

  test('structure: one PE design per edge variant, every link its own net, no unused bits', () => {
    for (const dataflow of DATAFLOWS) {
      const { design } = direct({ rows: 3, cols: 5, dataflow, a: fmt('int8'), b: fmt('int8'), accumulator: 'auto', k: dataflow === 'weight_stationary' ? 0 : 4 });
      expect(design.modules.map((m) => m.name).sort()).toEqual(['dut', 'dut_pe', 'dut_pe_b', 'dut_pe_r', 'dut_pe_rb']);
      expect(topModule(design).instances).toHaveLength(15);
      const text = emitVerilog(design).map((f) => f.text).join('\n');
      expect(text).not.toMatch(/unused/);
      // Links are whole nets: no part-select of a PE output anywhere.
      expect(text).not.toMatch(/pe_\d+_\d+_\w+\[/);
    }
    const one = direct({ rows: 1, cols: 1, dataflow: 'output_stationary', a: fmt('int8'), b: fmt('int8'), accumulator: 'auto', k: 1 }).design;
    expect(one.modules.map((m) => m.name)).toEqual(['dut_pe_rb', 'dut']);
  });
});

describe('planted faults are caught by the golden comparison', () => {
  for (const dataflow of DATAFLOWS) {
    for (const fault of ['short_skew', 'swap_b_lanes'] as const) {
      test(`${dataflow}: ${fault}`, async () => {
        const p = { rows: 3, cols: 4, dataflow, a: fmt('int8'), b: fmt('int8'), accumulator: 'auto' as const, k: dataflow === 'weight_stationary' ? 0 : 6 };
        const good = direct(p);
        expect((await builtinVerify(good.design, good.model, 300)).passed).toBe(true);
        const bad = direct(p, fault);
        const r = await builtinVerify(bad.design, good.model, 300);
        expect(r.passed).toBe(false);
        expect(r.mismatches).toBeGreaterThan(10);
      });
    }
  }
});

describeWithTools('yosys', 'systolic_array RTL is lint-clean and latch-free', () => {
  for (const dataflow of DATAFLOWS) {
    for (const [rows, cols, a, b] of [[1, 1, 'int8', 'int8'], [3, 5, 'uint8', 'int8'], [1, 4, 'fixed<8,4>', 'fixed<6,1>'], [4, 1, 'int4', 'int8']] as const) {
      test(`${dataflow} ${rows}x${cols} ${a} x ${b}: verilator -Wall and yosys check pass`, async () => {
        const acc = a.startsWith('fixed') ? 'fixed<24,12>' : 'auto';
        const { design } = fromRegistry({ rows, cols, dataflow, a, b, accumulator: acc, k: dataflow === 'output_stationary' ? 5 : 0 }, 'sa');
        const outcomes = await lintRtl(emitVerilog(design), 'sa');
        for (const o of outcomes) expect(o, `${o.tool} output:\n${o.output}`).toMatchObject({ passed: true });
      });
    }
  }
});

for (const sim of ['icarus', 'verilator'] as const) {
  describeWithTools(sim, `systolic_array on ${sim} vs the golden GEMM`, () => {
    const cases: [typeof DATAFLOWS[number], number, number, string, string, number][] = [
      ['output_stationary', 2, 2, 'int8', 'int8', 400],
      ['weight_stationary', 2, 2, 'int4', 'int8', 400],
      ['output_stationary', 3, 5, 'uint8', 'int8', 600],
      ['weight_stationary', 3, 5, 'uint8', 'int8', 600],
      ['output_stationary', 8, 8, 'int8', 'int8', 1500],
      ['weight_stationary', 8, 8, 'int8', 'int8', 1500],
    ];
    for (const [i, [dataflow, rows, cols, a, b, vectors]] of cases.entries()) {
      if (!runsOn(sim, i)) continue;
      test(`${dataflow} ${rows}x${cols} ${a} x ${b}`, async () => {
        const { design, model } = fromRegistry({ rows, cols, dataflow, a, b, accumulator: 'auto', k: dataflow === 'output_stationary' ? 2 * rows + 3 : 0 }, `sa_${dataflow === 'output_stationary' ? 'os' : 'ws'}_${rows}x${cols}`);
        const r = await verifyDesign(design, { model, simulators: [sim], vectors, seed: 11, corners: true, runDirFor: (s) => join(testCacheDir(), `systolic-${s}-${dataflow}-${rows}x${cols}`) });
        const o = r.outcomes[0]!;
        expect(o.counts.mismatches, JSON.stringify(o.mismatches.slice(0, 3), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}` : v))).toBe(0);
        expect(o.counts.checked).toBe(r.stimulus.length);
        expect(r.passed).toBe(true);
      });
    }

    test('a planted fault (short skew) fails on the real simulator too', async () => {
      const p = { rows: 2, cols: 2, dataflow: 'output_stationary' as const, a: fmt('int8'), b: fmt('int8'), accumulator: 'auto' as const, k: 5 };
      const good = direct(p);
      const bad = direct(p, 'short_skew');
      const r = await verifyDesign(bad.design, { model: good.model, simulators: [sim], vectors: 200, seed: 3, corners: true, runDirFor: (s) => join(testCacheDir(), `systolic-fault-${s}`) });
      expect(r.passed).toBe(false);
      expect(r.outcomes[0]!.counts.mismatches).toBeGreaterThan(10);
    });
  });
}
