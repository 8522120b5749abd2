// `npugen run`'s full path: the issue's models on generated gemm_tile hardware (built-in simulator,
// Icarus, Verilator), every layer compared with the golden model and with onnxruntime; and a
// golden model planted with a wrong zero point is caught by the onnxruntime comparison.
// The whole matrix (every model on every simulator) is bench/onnx-run.ts; this is a slice that
// keeps the suite's time: every model on the built-in simulator, the conv network on Icarus, and on Verilator
// the tile design runQuantGemmOnTiles's own Verilator test compiles (u8 x s8 -> u8, per tensor,
// bias, K = 7, 3x4), so its compile is shared.
import { describe, expect, test } from 'vitest';
import { randomInputs } from '../../onnx/inputs.ts';
import type { Layer } from '../../onnx/layer.ts';
import { lowerModel, type LoweredModel } from '../../onnx/lower.ts';
import { readOnnxModel } from '../../onnx/model.ts';
import { runLoweredModel, type SimulatorChoice } from '../../onnx/run.ts';
import { Rng } from '../../sim/random.ts';
import { describeWithTools } from '../helpers/simulators.ts';
import * as M from '../helpers/onnx-models.ts';

const TIMEOUT = 300_000;

async function run(bytes: Uint8Array, simulator: SimulatorChoice, tile: { rows: number; cols: number }, sets = 2, patch?: (l: LoweredModel) => LoweredModel) {
  let lowered = lowerModel(readOnnxModel(bytes, 'm.onnx'));
  if (patch) lowered = patch(lowered);
  const rng = new Rng(5);
  const inputSets = Array.from({ length: sets }, () => randomInputs(lowered.model, rng));
  return runLoweredModel(bytes, lowered, { inputSets, simulator, tile });
}

const DONE_WHEN: readonly [string, Uint8Array, string[]][] = [
  ['QLinearMatMul 7x13x5 (not multiples of the 4x4 tile)', M.qlinearMatMulModel({ m: 7, k: 13, n: 5, a: 'uint8', b: 'int8', perColumn: true }), ['QLinearMatMul']],
  ['two-layer QOperator MLP with a float input', M.qoperatorMlpModel({ batch: 3, k: 20, h: 11, n: 6 }), ['QuantizeLinear', 'QLinearMatMul', 'QLinearMatMul', 'DequantizeLinear']],
  ['MatMulInteger with zero points', M.matMulIntegerModel({ m: 5, k: 9, n: 7 }), ['MatMulInteger']],
  ['QLinearConv network', M.qlinearConvNetModel({ n: 1, c: 2, hw: 5, c1: 3, c2: 4 }), ['QuantizeLinear', 'QLinearConv', 'QLinearConv', 'DequantizeLinear']],
];

describe('npugen run on the built-in simulator', () => {
  test.each(DONE_WHEN)('%s: every layer bit-exact vs golden and onnxruntime', async (_name, bytes, ops) => {
    const r = await run(bytes, 'builtin', { rows: 4, cols: 4 });
    expect(r.layers.map((l) => l.op)).toEqual(ops);
    for (const l of r.layers) {
      expect(l.firstMismatch).toBeUndefined();
      expect(l.bitExact).toBe(true);
      if (l.cycles !== null) expect(l.hardwareBitExact).toBe(true);
    }
    expect(r.bitExact).toBe(true);
    expect(r.reference).toBe('onnxruntime');
  }, TIMEOUT);

  test('a golden model with a planted wrong output zero point is caught against onnxruntime, naming the layer and element', async () => {
    const plantZp = (low: LoweredModel): LoweredModel => ({
      ...low,
      layers: low.layers.map((l): Layer => (l.kind !== 'gemm' ? l : {
        ...l,
        plan: (env) => {
          const p = l.plan(env);
          return { ...p, specs: p.specs.map((s) => (s.output.kind === 'requant' ? { ...s, output: { ...s.output, zeroPoint: s.output.zeroPoint + 1 } } : s)) };
        },
      })),
    });
    const r = await run(M.qlinearMatMulModel({ m: 3, k: 5, n: 2, a: 'uint8', b: 'int8' }), 'builtin', { rows: 2, cols: 2 }, 1, plantZp);
    expect(r.bitExact).toBe(false);
    expect(r.layers[0]!.hardwareBitExact).toBe(true);
    expect(r.layers[0]!.onnxruntimeBitExact).toBe(false);
    expect(r.layers[0]!.firstMismatch).toMatch(/^golden vs onnxruntime, input set 0, element \[\d+, \d+\]: golden \d+, onnxruntime \d+$/);
  }, TIMEOUT);
});

describeWithTools('icarus', 'npugen run on Icarus', () => {
  test.each([DONE_WHEN[3]!])('%s: bit-exact', async (_name, bytes) => {
    const r = await run(bytes, 'icarus', { rows: 4, cols: 4 }, 1);
    expect(r.layers.filter((l) => l.cycles !== null).every((l) => l.hardwareBitExact === true && (l.cycles ?? 0) > 0)).toBe(true);
    expect(r.bitExact).toBe(true);
  }, TIMEOUT);
});

describeWithTools('verilator', 'npugen run on Verilator', () => {
  test('QGemm with bias, per-tensor scales, K = 7 on a 3x4 tile: bit-exact', async () => {
    const bytes = M.qgemmModel({ m: 5, k: 7, n: 6, perTensor: true });
    const r = await run(bytes, 'verilator', { rows: 3, cols: 4 }, 2);
    expect(r.layers.map((l) => [l.op, l.formats, l.hardwareBitExact, l.onnxruntimeBitExact])).toEqual([['QGemm', 'uint8 x int8 -> uint8', true, true]]);
    expect(r.bitExact).toBe(true);
  }, TIMEOUT);
});
