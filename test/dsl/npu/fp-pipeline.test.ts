// pipeline_stages of fp_mul, fp_dot, mx_dot and fp_mac: the pipelined RTL against the unchanged
// golden models with their latency = the stage count (fp_mac: 1 + stages) on the built-in
// simulator (fp8 x fp8 exhaustively), one pipelined config per generator on Icarus and
// Verilator, lint-clean and latch-free, registers where the doc says, and a model whose latency is
// off by one fails against the pipelined hardware.
import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { Rng } from '../../../sim/random.ts';
import { emitVerilog } from '../../../generators/verilog/emit.ts';
import { lintRtl } from '../../../sim/lint.ts';
import { verifyDesign } from '../../../sim/cosim/verify.ts';
import { topModule, type Design } from '../../../dsl/ir/nodes.ts';
import type { TransactionModel } from '../../../sim/models/types.ts';
import { interiorCuts } from '../../../dsl/npu/fp-params.ts';
import { describeWithTools, runsOn, testCacheDir } from '../../helpers/simulators.ts';
import { checkPorts, compare, fromRegistry, SIM_TIMEOUT_MS, verifyOn, type Raw } from '../float/helpers.ts';

const regNames = (d: Design): string[] => topModule(d).signals.filter((s) => s.kind === 'reg').map((s) => s.name);
const header = (d: Design): string => emitVerilog(d)[0]!.text.split('\n').filter((l) => l.startsWith('//')).join('\n');
/** The same model with its latency moved by `by` cycles (a planted fault). */
const shifted = (model: TransactionModel, by: number): TransactionModel => ({ ...model, latency: model.latency + by });

describe('interiorCuts: the placement rule', () => {
  test('runs as equal as whole segments allow, shorter runs last; extra stages go to the output', () => {
    expect([...interiorCuts(5, 1).cuts]).toEqual([2]);
    expect([...interiorCuts(5, 2).cuts]).toEqual([1, 3]);
    expect([...interiorCuts(5, 4).cuts]).toEqual([0, 1, 2, 3]);
    expect(interiorCuts(5, 6)).toEqual({ cuts: new Set([0, 1, 2, 3]), extra: 2 });
    expect([...interiorCuts(7, 2).cuts]).toEqual([2, 4]);
    expect(interiorCuts(2, 0)).toEqual({ cuts: new Set(), extra: 0 });
  });
});

describe('fp_mul pipeline_stages (built-in simulator vs golden)', () => {
  for (const stages of [1, 2]) {
    test(`every fp8_e4m3 pair + corners, ${stages} stage(s)`, () => {
      const { design, model } = fromRegistry('fp_mul', { a: 'fp8_e4m3', b: 'fp8_e4m3', out: 'fp8_e4m3', pipeline_stages: stages });
      checkPorts(design, model);
      expect(model.latency).toBe(stages);
      expect(compare(design, model, [...model.exhaustive()!, ...model.corners()]).first).toEqual([]);
    });
  }
  test('every fp8_e4m3 x fp8_e5m2 pair into fp16, flush, 3 stages (one output register)', () => {
    const { design, model } = fromRegistry('fp_mul', { a: 'fp8_e4m3', b: 'fp8_e5m2', out: 'fp16', subnormals: 'flush', pipeline_stages: 3 });
    checkPorts(design, model);
    expect(regNames(design).filter((n) => n.startsWith('y_d'))).toEqual(['y_d0']);
    expect(compare(design, model, model.exhaustive()!).first).toEqual([]);
  });
  for (const raw of [{ a: 'bf16', b: 'bf16', out: 'bf16', pipeline_stages: 2 }, { a: 'fp32', b: 'fp32', out: 'fp32', pipeline_stages: 1 }] as Raw[]) {
    test(`interesting pairs + 3000 random: ${JSON.stringify(raw)}`, () => {
      const { design, model } = fromRegistry('fp_mul', raw);
      checkPorts(design, model);
      expect(compare(design, model, [...model.corners(), ...model.random(3000, new Rng(17))]).first).toEqual([]);
    });
  }
  test('registers sit where the header says: product fields, then the rounding cut', () => {
    const one = fromRegistry('fp_mul', { a: 'bf16', b: 'bf16', out: 'bf16', pipeline_stages: 1 }).design;
    expect(regNames(one).sort()).toEqual(['prod_exp', 'prod_inf', 'prod_nan', 'prod_sig', 'prod_sign']);
    const two = fromRegistry('fp_mul', { a: 'bf16', b: 'bf16', out: 'bf16', pipeline_stages: 2 }).design;
    expect(regNames(two).filter((n) => n.startsWith('rnd')).sort()).toEqual(['rnd0_d', 'rnd0_e', 'rnd0_iszero', 'rnd0_lost', 'rnd0_sign', 'rnd0_tiny', 'rnd1_inf', 'rnd1_nan', 'rnd1_sign']);
    expect(header(two)).toContain('registers after the exact product (unpack + significand multiply | round); inside the rounding (normalize + denormalizing shift | increment, pack, overflow); no reset');
    expect(header(two)).toContain('latency: 2 cycle(s)');
    const zero = fromRegistry('fp_mul', { a: 'bf16', b: 'bf16', out: 'bf16' }).design;
    expect(regNames(zero)).toEqual([]);
    expect(header(zero)).not.toContain('pipeline');
  });
  test('planted fault: a model one cycle early or late fails against the 2-stage hardware', () => {
    const { design, model } = fromRegistry('fp_mul', { a: 'fp8_e4m3', b: 'fp8_e4m3', out: 'fp8_e4m3', pipeline_stages: 2 });
    const rows = model.random(2000, new Rng(4));
    expect(compare(design, model, rows).bad).toBe(0);
    for (const by of [-1, 1]) expect(compare(design, shifted(model, by), rows).bad).toBeGreaterThan(1000);
  });
});

describe('fp_dot pipeline_stages (built-in simulator vs golden)', () => {
  const cases: Raw[] = [
    { lanes: 8, a: 'fp8_e4m3', b: 'fp8_e4m3', accumulator: 'fp32', pipeline_stages: 1 },
    { lanes: 8, a: 'fp8_e4m3', b: 'fp8_e4m3', accumulator: 'fp32', pipeline_stages: 2 },
    { lanes: 8, a: 'fp16', b: 'fp16', accumulator: 'fp16', pipeline_stages: 4 },
    { lanes: 3, a: 'bf16', b: 'bf16', accumulator: 'fp32', subnormals: 'flush', pipeline_stages: 2 },
    { lanes: 5, a: 'fp8_e4m3', b: 'fp8_e5m2', accumulator: 'fp16', pipeline_stages: 6 },
    { lanes: 1, a: 'fp8_e4m3', b: 'fp8_e4m3', accumulator: 'fp32', pipeline_stages: 1 },
  ];
  for (const raw of cases) {
    test(`corners + 1500 random${raw['lanes'] === 1 ? ' + every pair' : ''}: ${JSON.stringify(raw)}`, () => {
      const { design, model } = fromRegistry('fp_dot', raw);
      checkPorts(design, model);
      expect(compare(design, model, [...model.corners(), ...model.random(1500, new Rng(19)), ...(model.exhaustive() ?? [])]).first).toEqual([]);
    });
  }
  test('registers per the rule: 8 lanes, 2 stages after adder levels 1 and 3; 6 stages on 5 lanes: all 4 boundaries + 2 on y', () => {
    const two = fromRegistry('fp_dot', { lanes: 8, pipeline_stages: 2 }).design;
    const levels = (d: Design): string[] => [...new Set(regNames(d).map((n) => n.replace(/_\d+_[a-z]+$/, '')))].sort();
    expect(levels(two)).toEqual(['pipe_l1', 'pipe_l3']);
    expect(header(two)).toContain('pipeline: registers after adder level 1, after adder level 3 (of 3 adder level(s), then the final rounding); no reset');
    const six = fromRegistry('fp_dot', { lanes: 5, pipeline_stages: 6 }).design;
    expect(levels(six)).toEqual(['pipe_l0', 'pipe_l1', 'pipe_l2', 'pipe_l3', 'y_d0', 'y_d1']);
  });
  test('planted fault: a model one cycle off fails against the 2-stage hardware', () => {
    const { design, model } = fromRegistry('fp_dot', { lanes: 4, a: 'fp8_e4m3', b: 'fp8_e4m3', accumulator: 'fp16', pipeline_stages: 2 });
    const rows = model.random(500, new Rng(6));
    expect(compare(design, model, rows).bad).toBe(0);
    for (const by of [-1, 1]) expect(compare(design, shifted(model, by), rows).bad).toBeGreaterThan(250);
  });
});

describe('mx_dot pipeline_stages (built-in simulator vs golden)', () => {
  for (const [format, stages] of [['mxfp8_e4m3', 1], ['mxfp8_e4m3', 2], ['mxfp8_e5m2', 6], ['mxfp4_e2m1', 7], ['mxint8', 3]] as const) {
    test(`${format}, ${stages} stage(s): corners + 600 random blocks`, () => {
      const { design, model } = fromRegistry('mx_dot', { format, pipeline_stages: stages });
      checkPorts(design, model);
      expect(compare(design, model, [...model.corners(), ...model.random(600, new Rng(8))]).first).toEqual([]);
    });
  }
  test('2 stages: partial sums after adder levels 2 and 4, scales and flags delayed by 2', () => {
    const d = fromRegistry('mx_dot', { format: 'mxfp4_e2m1', pipeline_stages: 2 }).design;
    const names = regNames(d);
    expect([...new Set(names.filter((n) => n.startsWith('pipe_')).map((n) => n.replace(/_\d+$/, '')))].sort()).toEqual(['pipe_l2', 'pipe_l4']);
    expect(names.filter((n) => !n.startsWith('pipe_')).sort()).toEqual(['a_scale_d0', 'a_scale_d1', 'any_nan_d0', 'any_nan_d1', 'b_scale_d0', 'b_scale_d1', 'neg_inf_d0', 'neg_inf_d1', 'neg_zero_d0', 'neg_zero_d1', 'pos_inf_d0', 'pos_inf_d1']);
  });
  test('planted fault: a model one cycle late fails against the 2-stage hardware', () => {
    const { design, model } = fromRegistry('mx_dot', { format: 'mxfp8_e4m3', pipeline_stages: 2 });
    const rows = model.random(200, new Rng(2));
    expect(compare(design, model, rows).bad).toBe(0);
    expect(compare(design, shifted(model, 1), rows).bad).toBeGreaterThan(150);
  });
});

describe('fp_mac pipeline_stages: 1 (built-in simulator vs golden)', () => {
  test('every fp8_e4m3 pair as a MAC sequence + corners, fused into fp32: latency 2', () => {
    const { design, model } = fromRegistry('fp_mac', { a: 'fp8_e4m3', b: 'fp8_e4m3', accumulator: 'fp32', fused: true, pipeline_stages: 1 });
    checkPorts(design, model);
    expect(model.latency).toBe(2);
    expect(compare(design, model, [...model.corners(), ...model.exhaustive()!]).first).toEqual([]);
  });
  for (const raw of [{ a: 'bf16', b: 'bf16', accumulator: 'fp32', fused: false }, { a: 'fp16', b: 'fp16', accumulator: 'fp16', fused: true, subnormals: 'flush' }] as Raw[]) {
    test(`corners + 4000 random: ${JSON.stringify(raw)}`, () => {
      const { design, model } = fromRegistry('fp_mac', { ...raw, pipeline_stages: 1 });
      checkPorts(design, model);
      expect(compare(design, model, [...model.corners(), ...model.random(4000, new Rng(29))]).first).toEqual([]);
    });
  }
  test('planted fault: the latency-1 model fails against the pipelined MAC; en_d/clear_d reset, the product registers not', () => {
    const { design, model } = fromRegistry('fp_mac', { a: 'bf16', b: 'bf16', accumulator: 'fp32', fused: true, pipeline_stages: 1 });
    const rows = model.random(1000, new Rng(3));
    expect(compare(design, model, rows).bad).toBe(0);
    expect(compare(design, shifted(model, -1), rows).bad).toBeGreaterThan(500);
    const resets = topModule(design).signals.filter((s) => s.kind === 'reg').map((s) => `${s.name}:${s.reg?.resetValue ?? 'none'}`).sort();
    expect(resets).toEqual(['acc:0', 'clear_d:0', 'en_d:0', 'prod_exp:none', 'prod_inf:none', 'prod_nan:none', 'prod_sig:none', 'prod_sign:none']);
    expect(() => fromRegistry('fp_mac', { pipeline_stages: 2 })).toThrow(/pipeline_stages/);
  });
});

describeWithTools('yosys', 'pipelined float RTL is lint-clean and latch-free', () => {
  const cases: [string, string, Raw][] = [
    ['fpmul_p2', 'fp_mul', { a: 'bf16', b: 'bf16', out: 'bf16', pipeline_stages: 2 }],
    ['fpdot_p2', 'fp_dot', { lanes: 3, a: 'fp8_e4m3', b: 'fp8_e4m3', accumulator: 'fp16', pipeline_stages: 2 }],
    ['fpmac_p1', 'fp_mac', { a: 'fp8_e4m3', b: 'fp8_e4m3', accumulator: 'fp16', pipeline_stages: 1 }],
  ];
  for (const [name, gen, raw] of cases) {
    test(`${name}: verilator -Wall and yosys check pass`, async () => {
      const { design } = fromRegistry(gen, raw, name);
      const outcomes = await lintRtl(emitVerilog(design), name);
      for (const o of outcomes) expect(o, `${o.tool} output:\n${o.output}`).toMatchObject({ passed: true });
    }, SIM_TIMEOUT_MS);
  }
});

for (const sim of ['icarus', 'verilator'] as const) {
  describeWithTools(sim, `pipelined float generators on ${sim} vs the golden library`, () => {
    if (runsOn(sim, 0)) test('fp_mul e4m3, 2 stages: every pair (65,536) + corners', async () => {
      const r = await verifyOn(sim, 'fp_mul', 'fpmul_e4m3_p2', { a: 'fp8_e4m3', b: 'fp8_e4m3', out: 'fp8_e4m3', pipeline_stages: 2 }, { vectors: 0, exhaustive: true });
      expect(r.stimulusCounts.exhaustive).toBe(65536);
    }, SIM_TIMEOUT_MS);
    if (runsOn(sim, 1)) test('fp_dot e4m3 x 8 -> fp32, 2 stages: corners + 500 random', async () => {
      await verifyOn(sim, 'fp_dot', 'fpdot_e4m3x8_p2', { lanes: 8, a: 'fp8_e4m3', b: 'fp8_e4m3', accumulator: 'fp32', pipeline_stages: 2 }, { vectors: 500 });
    }, SIM_TIMEOUT_MS);
    if (runsOn(sim, 2)) test('mx_dot mxfp4_e2m1, 2 stages: corners + 300 random blocks', async () => {
      await verifyOn(sim, 'mx_dot', 'mxdot_fp4_p2', { format: 'mxfp4_e2m1', pipeline_stages: 2 }, { vectors: 300 });
    }, SIM_TIMEOUT_MS);
    if (runsOn(sim, 3)) test('fp_mac bf16 -> fp32, 1 stage: corners + 1000 random', async () => {
      await verifyOn(sim, 'fp_mac', 'fpmac_bf16_fp32_p1', { a: 'bf16', b: 'bf16', accumulator: 'fp32', fused: true, pipeline_stages: 1 }, { vectors: 1000 });
    }, SIM_TIMEOUT_MS);
    test.runIf(sim === 'icarus')('planted fault: a latency-1 model fails against the 2-stage fp_mul on the real simulator', async () => {
      const { design, model } = fromRegistry('fp_mul', { a: 'fp8_e4m3', b: 'fp8_e4m3', out: 'fp8_e4m3', pipeline_stages: 2 }, 'fpmul_p2_fault');
      const r = await verifyDesign(design, { model: shifted(model, -1), simulators: [sim], vectors: 2000, seed: 1, runDirFor: (s) => join(testCacheDir(), `fp_mul-p2-fault-${s}`) });
      expect(r.passed).toBe(false);
      expect(r.outcomes[0]!.counts.mismatches).toBeGreaterThan(1000);
    }, SIM_TIMEOUT_MS);
  });
}
