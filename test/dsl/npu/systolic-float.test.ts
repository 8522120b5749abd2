// Float systolic_array (a, b float; fp32/fp16/bf16 accumulators) vs its transaction model (golden
// dotTree steps in the documented order): built-in simulator on 2x2 and 2x3 arrays in both
// dataflows with corners + random GEMMs; hand-computed results that pin the accumulation order,
// the rounding points (fused/unfused), NaN/Inf/-0 handling; failing checks (unfused model, wrong
// order, planted faults); parameter errors; lint/latch checks; Icarus and Verilator runs.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildSystolic, type SystolicFloatParams } from '../../../dsl/npu/systolic.ts';
import { fp16, fp32, bf16, fp8_e4m3, type FloatFormat } from '../../../dsl/float/format.ts';
import type { Design } from '../../../dsl/ir/nodes.ts';
import { emitVerilog } from '../../../generators/verilog/emit.ts';
import { Simulator } from '../../../sim/eval/simulator.ts';
import { lintRtl } from '../../../sim/lint.ts';
import { verifyDesign } from '../../../sim/cosim/verify.ts';
import { arrayModel, type Matrix, type SystolicModel } from '../../../sim/models/systolic.ts';
import { floatArrayArith, floatGemm, systolicFloatModel, type SystolicFloatModelParams } from '../../../sim/models/systolic-float.ts';
import { Rng } from '../../../sim/random.ts';
import { describeWithTools, testCacheDir } from '../../helpers/simulators.ts';
import { plantArrayFault } from '../../helpers/faults.ts';
import { checkPorts, compare, fromRegistry, SIM_TIMEOUT_MS, type Raw } from '../float/helpers.ts';

const OS = 'output_stationary' as const;
const WS = 'weight_stationary' as const;
const DATAFLOWS = [OS, WS] as const;

/** Valid output rows (out_valid = 1) of a stimulus, per the model. */
function validRows(model: SystolicModel, rows: readonly (readonly bigint[])[]): number {
  return model.expected(rows).filter((e) => e[e.length - 1] === 1n).length;
}

describe('float systolic_array vs the golden model (built-in simulator)', () => {
  const formats: Raw[] = [
    { a: 'fp8_e4m3', b: 'fp8_e4m3', accumulator: 'fp32' },
    { a: 'bf16', b: 'bf16', accumulator: 'fp32' },
  ];
  for (const dataflow of DATAFLOWS) {
    for (const [rows, cols] of [[2, 2], [2, 3]] as const) {
      for (const f of formats) {
        test(`${dataflow} ${rows}x${cols} ${f['a']} x ${f['b']} -> ${f['accumulator']}: corners + 2500 random beats`, () => {
          const { design, model } = fromRegistry('systolic_array', { rows, cols, dataflow, ...f });
          checkPorts(design, model);
          const stim = [...model.corners(), ...model.random(2500, new Rng(41))];
          // Rows with out_valid = 1, each carrying `cols` C elements.
          expect(validRows(model as SystolicModel, stim)).toBeGreaterThan(1500);
          expect(compare(design, model, stim).first).toEqual([]);
        });
      }
    }
  }

  const more: Raw[] = [
    { rows: 2, cols: 2, dataflow: OS, a: 'fp8_e4m3', b: 'fp8_e5m2', accumulator: 'fp32', fused: false },
    { rows: 3, cols: 2, dataflow: WS, a: 'fp8_e5m2', b: 'fp8_e4m3', accumulator: 'bf16', subnormals: 'flush' },
    { rows: 2, cols: 2, dataflow: OS, a: 'fp16', b: 'fp16', accumulator: 'fp16', fused: false, k: 40 },
    { rows: 1, cols: 3, dataflow: WS, a: 'bf16', b: 'bf16', accumulator: 'bf16' },
    { rows: 3, cols: 1, dataflow: OS, a: 'fp4_e2m1', b: 'fp8_e4m3', accumulator: 'fp16', k: 9 },
  ];
  for (const raw of more) {
    test(`corners + 1000 random beats: ${JSON.stringify(raw)}`, () => {
      const { design, model } = fromRegistry('systolic_array', raw);
      checkPorts(design, model);
      expect(compare(design, model, [...model.corners(), ...model.random(1000, new Rng(5))]).first).toEqual([]);
    });
  }

  test('ports: float codes as UInt(width); c_* is UInt(32) for fp32 and valid-masked', () => {
    const { model } = fromRegistry('systolic_array', { rows: 2, cols: 3, dataflow: OS, a: 'bf16', b: 'fp8_e4m3', accumulator: 'fp32' });
    expect(model.inputs.map((p) => `${p.name}:${p.signed ? 's' : 'u'}${p.width}:${p.format}`)).toEqual([
      'a_0:u16:bf16', 'a_1:u16:bf16', 'b_0:u8:fp8_e4m3', 'b_1:u8:fp8_e4m3', 'b_2:u8:fp8_e4m3', 'in_valid:u1:uint1', 'last:u1:uint1',
    ]);
    expect(model.outputs.map((p) => `${p.name}:u${p.width}:${p.format}:${p.validBy ?? '-'}`)).toEqual(['c_0:u32:fp32:out_valid', 'c_1:u32:fp32:out_valid', 'c_2:u32:fp32:out_valid', 'out_valid:u1:uint1:-']);
  });
});

// ---- Hand-computed results (values worked out by hand below, not taken from the code) ----

const params = (dataflow: typeof OS | typeof WS, rows: number, cols: number, a: FloatFormat, b: FloatFormat, acc: FloatFormat, extra: Partial<SystolicFloatParams> = {}): SystolicFloatParams =>
  ({ name: 'dut', rows, cols, dataflow, k: 0, a, b, accumulator: acc, fused: true, subnormals: 'ieee', ...extra });

function modelOf(p: SystolicFloatParams): SystolicModel {
  return systolicFloatModel({ rows: p.rows, cols: p.cols, dataflow: p.dataflow, k: p.k, a: p.a, b: p.b, accumulator: p.accumulator, fused: p.fused, subnormals: p.subnormals });
}

/** Runs one GEMM through the hardware (built-in simulator, stimulus per the protocol) and returns the C rows seen with out_valid. */
function hardwareGemm(p: SystolicFloatParams, A: Matrix, B: Matrix): bigint[][] {
  const model = modelOf(p);
  const rows = p.dataflow === OS ? model.encodeOs([{ A, B }]) : model.encodeWs([{ B, A }]);
  const sim = new Simulator(buildSystolic(p));
  sim.reset(1);
  const seen: bigint[][] = [];
  for (let n = 0; n < rows.length + p.rows + p.cols + 2; n++) {
    const r = rows[n] ?? model.inputs.map(() => 0n);
    const o = sim.step(Object.fromEntries(model.inputs.map((port, j) => [port.name, r[j]!])));
    if (o['out_valid'] === 1n) seen.push(Array.from({ length: p.cols }, (_, j) => o[`c_${j}`]!));
  }
  return seen;
}

/** Both the hardware and the model give `want` for C = A . B. */
function expectGemm(p: SystolicFloatParams, A: Matrix, B: Matrix, want: bigint[][]): void {
  expect(hardwareGemm(p, A, B).map((r) => r.map((x) => x.toString(16)))).toEqual(want.map((r) => r.map((x) => x.toString(16))));
  expect(modelOf(p).gemm(A, B)).toEqual(want);
}

// bf16 codes: 2^12 = exponent field 127 + 12 = 139 -> 139 << 7 = 0x4580; 1.0 = 0x3f80; sign 0x8000.
const BF = { p4096: 0x4580n, n4096: 0xc580n, one: 0x3f80n, max: 0x7f7fn, inf: 0x7f80n, ninf: 0xff80n, nanPayload: 0x7f81n, nzero: 0x8000n };
// fp32 results: +0, 1.0, +Inf, canonical NaN (quiet, top mantissa bit).
const F32 = { zero: 0n, one: 0x3f800000n, inf: 0x7f800000n, nan: 0x7fc00000n };

describe('float systolic_array: documented order and rounding, by hand', () => {
  test('OS sums t = 0..K-1 from +0; WS sums t = rows-1 down to 0 from +0 (the orders give different fp32 results)', () => {
    // Products p0 = 2^12 * 2^12 = 2^24, p1 = 1, p2 = -2^24.
    // OS: (0 + 2^24) = 2^24; 2^24 + 1 is a tie between 2^24 and 2^24 + 2 -> even: 2^24; 2^24 - 2^24 = +0.
    // WS: (0 - 2^24) = -2^24; -2^24 + 1 = -(2^24 - 1), exact (24 bits); + 2^24 = 1.
    const aRow = [BF.p4096, BF.one, BF.n4096];
    const bCol = [BF.p4096, BF.one, BF.p4096];
    const os = params(OS, 1, 1, bf16, bf16, fp32);
    expectGemm(os, [aRow], bCol.map((b) => [b]), [[F32.zero]]);
    const ws = params(WS, 3, 1, bf16, bf16, fp32);
    expectGemm(ws, [aRow], bCol.map((b) => [b]), [[F32.one]]);
  });

  test('fused vs unfused vs flush (fp16 accumulator): -(1+2^-10)^2 + (1+2^-10)^2', () => {
    // fp16 1 + 2^-10 = 0x3c01; its square 1 + 2^-9 + 2^-20 rounds to 1 + 2^-9 (0x3c02) in fp16.
    // Beat 0: acc = round(-(1 + 2^-9 + 2^-20)) = -(1 + 2^-9) either way.
    // Beat 1, fused: -(1 + 2^-9) + (1 + 2^-9 + 2^-20) = 2^-20 exactly: an fp16 subnormal, 2^-20 / 2^-24 = 16 -> 0x0010.
    //         unfused: the product rounds to 1 + 2^-9 first, the sum is +0. Fused with flush: 2^-20 < 2^-14 -> +0.
    const A = [[0xbc01n, 0x3c01n]];
    const B = [[0x3c01n], [0x3c01n]];
    expectGemm(params(OS, 1, 1, fp16, fp16, fp16), A, B, [[0x0010n]]);
    expectGemm(params(OS, 1, 1, fp16, fp16, fp16, { fused: false }), A, B, [[0n]]);
    expectGemm(params(OS, 1, 1, fp16, fp16, fp16, { subnormals: 'flush' }), A, B, [[0n]]);
  });

  test('specials: canonical NaN, Inf - Inf, overflow to Inf, -0 products give +0 (+0 start)', () => {
    const p = params(OS, 1, 4, bf16, bf16, fp32);
    // A = [1, 1]; columns of B: (NaN payload, 1): NaN + 1 = canonical NaN; (Inf, -Inf): Inf - Inf = NaN;
    // (max, max): 2 * 3.39e38 > fp32 max (3.40e38) -> +Inf; (-0, -0): +0 + (-0) + (-0) = +0.
    const A = [[BF.one, BF.one]];
    const B = [[BF.nanPayload, BF.inf, BF.max, BF.nzero], [BF.one, BF.ninf, BF.max, BF.nzero]];
    expectGemm(p, A, B, [[F32.nan, F32.nan, F32.inf, F32.zero]]);
    const w = params(WS, 2, 4, bf16, bf16, fp32);
    expectGemm(w, A, B, [[F32.nan, F32.nan, F32.inf, F32.zero]]);
  });

  test('e4m3 x e4m3 -> fp32: 448 * 448 * K is exact (products fit fp32), one GEMM per dataflow', () => {
    // e4m3 max = 0x7e = 448; 448^2 = 200704; K = 3 terms: 602112 = 0x49130000 in fp32 (2^19 * 1.1484375).
    const max = BigInt(fp8_e4m3.maxCode);
    const want = 0x49130000n;
    expectGemm(params(OS, 2, 2, fp8_e4m3, fp8_e4m3, fp32), [[max, max, max], [max, max, max]], [[max, max], [max, max], [max, max]], [[want, want], [want, want]]);
    expectGemm(params(WS, 3, 2, fp8_e4m3, fp8_e4m3, fp32), [[max, max, max]], [[max, max], [max, max], [max, max]], [[want, want]]);
  });
});

// ---- The checks can fail ----

describe('float systolic_array: the comparison catches wrong hardware', () => {
  for (const dataflow of DATAFLOWS) {
    test(`${dataflow}: fused hardware does not pass an unfused model (bf16 x bf16 -> bf16 and -> fp32)`, () => {
      for (const accumulator of ['bf16', 'fp32']) {
        const base = { rows: 2, cols: 2, dataflow, a: 'bf16', b: 'bf16', accumulator };
        const { design } = fromRegistry('systolic_array', { ...base, fused: true });
        const { model } = fromRegistry('systolic_array', { ...base, fused: false });
        const r = compare(design, model, [...model.corners(), ...model.random(1000, new Rng(2))]);
        expect(r.bad).toBeGreaterThan(20);
      }
    });

    test(`${dataflow}: a model summing in the other order mismatches (the order is observable)`, () => {
      const p: SystolicFloatModelParams = { rows: 3, cols: 2, dataflow, k: 0, a: bf16, b: bf16, accumulator: fp32, fused: true, subnormals: 'ieee' };
      const flipped = { ...p, dataflow: dataflow === OS ? WS : OS };
      // OS transactions carry A as rows x K; reversing t is the WS order and vice versa.
      const wrong = arrayModel(p, { ...floatArrayArith(p), gemm: (A, B) => floatGemm(flipped, A, B) });
      const design = buildSystolic({ name: 'dut', ...p });
      const stim = [...wrong.corners(), ...wrong.random(1500, new Rng(9))];
      expect(compare(design, wrong, stim).bad).toBeGreaterThan(5);
      expect(compare(design, systolicFloatModel(p), stim).bad).toBe(0);
    });

    for (const fault of ['short_skew', 'swap_b_lanes'] as const) {
      test(`${dataflow}: planted fault ${fault} is caught`, () => {
        const p = params(dataflow, 3, 2, fp8_e4m3, fp8_e4m3, fp32);
        const model = modelOf(p);
        const stim = [...model.corners(), ...model.random(800, new Rng(4))];
        expect(compare(buildSystolic(p), model, stim).bad).toBe(0);
        expect(compare(plantArrayFault(buildSystolic(p), fault, p), model, stim).bad).toBeGreaterThan(20);
      });
    }
  }
});

describe('float systolic_array parameters', () => {
  const base = { rows: 2, cols: 2, dataflow: OS };
  test.each([
    [{ a: 'bf16', b: 'int8', accumulator: 'fp32' }, /a and b must both be float formats or both integer\/fixed, got a bf16, b int8/],
    [{ a: 'bf16', b: 'bf16' }, /float operands \(bf16 x bf16\) need a float accumulator \(fp32, fp16, bf16\), got accumulator int32/],
    [{ a: 'bf16', b: 'bf16', accumulator: 'auto' }, /need a float accumulator .* got accumulator auto/],
    [{ a: 'int8', b: 'int8', accumulator: 'fp32' }, /accumulator fp32 is a float format; integer\/fixed operands \(int8 x int8\)/],
    [{ a: 'int8', b: 'int8', fused: true }, /fused applies only to float formats/],
    [{ a: 'int8', b: 'int8', accumulator: 'auto', k: 4, subnormals: 'ieee' }, /subnormals applies only to float formats/],
    [{ a: 'bf16', b: 'bf16', accumulator: 'fp8_e4m3' }, /params\.accumulator: .*or a float format \(fp32, fp16, bf16\)/],
    [{ a: 'bf17', b: 'bf16', accumulator: 'fp32' }, /params\.a: 'bf17' is not a number format.*or a float format \(fp32, fp16, bf16, fp8_e4m3/],
  ] as const)('%j is rejected', (raw, message) => {
    expect(() => fromRegistry('systolic_array', { ...base, ...raw })).toThrow(message);
  });

  test('the float defaults are fused and ieee; integer arrays build without them', () => {
    const dflt = fromRegistry('systolic_array', { ...base, a: 'fp8_e4m3', b: 'fp8_e4m3', accumulator: 'fp16' });
    const explicit = fromRegistry('systolic_array', { ...base, a: 'fp8_e4m3', b: 'fp8_e4m3', accumulator: 'fp16', fused: true, subnormals: 'ieee' });
    expect(emitVerilog(dflt.design).map((f) => f.text)).toEqual(emitVerilog(explicit.design).map((f) => f.text));
    expect(dflt.params['fused']).toBeNull();
    const int = fromRegistry('systolic_array', { ...base, a: 'int8', b: 'int8' });
    expect(int.model.outputs[0]!.format).toBe('int32');
  });

  test('the module header states the accumulation order and rounding', () => {
    const docOf = (d: Design): string => emitVerilog(d).map((f) => f.text).join('\n');
    const os = docOf(buildSystolic(params(OS, 2, 2, bf16, bf16, fp32)));
    expect(os).toContain('accumulation order: C[i][j] = +0 at each GEMM, then acc = fma(a, b, acc)');
    expect(os).toContain('for beats t = 0..K-1 in beat order');
    expect(os).toContain('round-to-nearest-even; overflow to ±Inf');
    const ws = docOf(buildSystolic(params(WS, 3, 2, bf16, bf16, fp32, { fused: false })));
    expect(ws).toContain('psum = +0 into grid row 0 (holding B[2])');
    expect(ws).toContain('for t = 2 down to 0');
    expect(ws).toContain('the product rounded to fp32 first');
  });
});

describeWithTools('yosys', 'float systolic_array RTL is lint-clean and latch-free', () => {
  const cases: [string, SystolicFloatParams][] = [
    ['sfl_os', params(OS, 2, 2, fp8_e4m3, fp8_e4m3, fp32)],
    ['sfl_ws', { ...params(WS, 2, 2, fp8_e4m3, fp8_e4m3, bf16), b: fp16, subnormals: 'flush', fused: false }],
  ];
  for (const [name, p] of cases) {
    test(`${name} ${p.dataflow} 2x2 ${p.a.name} x ${p.b.name} -> ${p.accumulator.name}: verilator -Wall and yosys check pass`, async () => {
      const outcomes = await lintRtl(emitVerilog(buildSystolic({ ...p, name })), name);
      for (const o of outcomes) expect(o, `${o.tool} output:\n${o.output}`).toMatchObject({ passed: true });
    }, SIM_TIMEOUT_MS);
  }
});

for (const sim of ['icarus', 'verilator'] as const) {
  describeWithTools(sim, `float systolic_array on ${sim} vs the golden model`, () => {
    test('weight_stationary 2x3 bf16 x bf16 -> fp32: corners + 1000 random beats', async () => {
      const name = 'sf_ws_2x3_bf16';
      const { design, model } = fromRegistry('systolic_array', { rows: 2, cols: 3, dataflow: WS, a: 'bf16', b: 'bf16', accumulator: 'fp32' }, name);
      const r = await verifyDesign(design, { model, simulators: [sim], vectors: 1000, seed: 23, corners: true, runDirFor: (s) => join(testCacheDir(), `systolic-float-${s}-${name}`) });
      const o = r.outcomes[0]!;
      expect(o.counts.mismatches, JSON.stringify(o.mismatches.slice(0, 3), (_k, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v))).toBe(0);
      expect(o.counts.checked).toBe(r.stimulus.length);
      expect(r.passed).toBe(true);
    }, SIM_TIMEOUT_MS);

    test('a planted fault (swapped b lanes) fails on the real simulator too', async () => {
      const p = params(OS, 2, 2, fp8_e4m3, fp8_e4m3, fp32);
      const r = await verifyDesign(plantArrayFault(buildSystolic(p), 'swap_b_lanes', p), { model: modelOf(p), simulators: [sim], vectors: 200, seed: 3, corners: true, runDirFor: (s) => join(testCacheDir(), `systolic-float-fault-${s}`) });
      expect(r.passed).toBe(false);
      expect(r.outcomes[0]!.counts.mismatches).toBeGreaterThan(10);
    }, SIM_TIMEOUT_MS);
  });
}
