// group_dot / group_gemm / fp8_acc_dot vs their golden transaction models on the built-in
// simulator (both datapaths, the three activation kinds, three group sizes), and planted faults: a datapath, an alignment width or a promotion interval that is
// not the model's is caught. Icarus and Verilator: test/sim/cosim/group-dot.test.ts.
import { describe, expect, test } from 'vitest';
import { Rng } from '../../../sim/random.ts';
import { compareWithModel, expectPortsMatch, fromRegistry, type RawParams } from '../../helpers/model-check.ts';

const check = (gen: string, raw: RawParams, random: number): void => {
  const { design, model } = fromRegistry(gen, raw);
  expectPortsMatch(design, model);
  const rows = [...model.corners(), ...model.random(random, new Rng(17))];
  expect(compareWithModel(design, model, rows).first).toEqual([]);
};

describe('group_dot vs the golden model (built-in simulator)', () => {
  const cases: RawParams[] = [
    { datapath: 'dequant_fp', activation: 'fp16', group_size: 32, lanes: 4 },
    { datapath: 'dequant_fp', activation: 'bf16', group_size: 64, lanes: 4 },
    { datapath: 'dequant_fp', activation: 'int8', group_size: 128, lanes: 8 },
    { datapath: 'int_then_scale', activation: 'fp16', group_size: 128, lanes: 8 },
    { datapath: 'int_then_scale', activation: 'bf16', group_size: 32, lanes: 4 },
    { datapath: 'int_then_scale', activation: 'int8', group_size: 64, lanes: 8 },
  ];
  for (const raw of cases) test(`corners + 60 random: ${JSON.stringify(raw)}`, () => check('group_dot', raw, 60));

  test('group_gemm: 3 columns sharing int8 activations, int_then_scale', () => check('group_gemm', { datapath: 'int_then_scale', activation: 'int8', group_size: 32, lanes: 8, cols: 3 }, 60));

  test('planted fault: the dequant_fp RTL does not pass as int_then_scale', () => {
    const { model } = fromRegistry('group_dot', { datapath: 'int_then_scale', activation: 'fp16', group_size: 32, lanes: 8 });
    const { design } = fromRegistry('group_dot', { datapath: 'dequant_fp', activation: 'fp16', group_size: 32, lanes: 8 });
    expect(compareWithModel(design, model, model.random(80, new Rng(2))).bad).toBeGreaterThan(10);
  });

  test('planted fault: a group size that is not the model\'s (64 for 32) is caught', () => {
    const { model } = fromRegistry('group_dot', { datapath: 'dequant_fp', activation: 'fp16', group_size: 32, lanes: 8 });
    const { design } = fromRegistry('group_dot', { datapath: 'dequant_fp', activation: 'fp16', group_size: 64, lanes: 8 });
    expect(compareWithModel(design, model, model.random(80, new Rng(2))).bad).toBeGreaterThan(5);
  });
});

describe('fp8_acc_dot vs the golden model (built-in simulator)', () => {
  test('e4m3 x e4m3, 4 lanes, 14 bits, promotion every 16: corners + 600 random', () => check('fp8_acc_dot', { a: 'fp8_e4m3', b: 'fp8_e4m3', lanes: 4, align_bits: 14, promote_every: 16 }, 300));
  test('e5m2 x e5m2, 3 lanes, 9 bits, no promotion but last: corners + 600 random', () => check('fp8_acc_dot', { a: 'fp8_e5m2', b: 'fp8_e5m2', lanes: 3, align_bits: 9, promote_every: 0 }, 300));

  for (const [what, wrong] of [['alignment width 13 for 14', { align_bits: 13 }], ['promotion every 8 for 16', { promote_every: 8 }]] as const) {
    test(`planted fault: ${what} is caught`, () => {
      const base = { a: 'fp8_e4m3', b: 'fp8_e4m3', lanes: 4, align_bits: 14, promote_every: 16 };
      const { model } = fromRegistry('fp8_acc_dot', base);
      const { design } = fromRegistry('fp8_acc_dot', { ...base, ...wrong });
      expect(compareWithModel(design, model, [...model.corners(), ...model.random(300, new Rng(3))]).bad).toBeGreaterThan(5);
    });
  }
});
