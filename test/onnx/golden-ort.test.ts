// The golden model of every supported op against real onnxruntime-node, bit for bit: each test
// model on random inputs, plus inputs that hit the rounding edges (QuantizeLinear ties, requant
// ties, accumulators above 2^24 where int32 -> fp32 rounds). The edge tests also show that the
// edges were hit, so a golden model with the wrong rounding would fail them.
import { describe, expect, test } from 'vitest';
import { randomInputs } from '../../onnx/inputs.ts';
import { evalLayer } from '../../onnx/layer.ts';
import { lowerModel } from '../../onnx/lower.ts';
import { readOnnxModel } from '../../onnx/model.ts';
import { openOrtSession } from '../../onnx/ort.ts';
import { firstDifference } from '../../onnx/run.ts';
import { type Tensor, tensor } from '../../onnx/tensor.ts';
import { encodeOnnxModel } from '../../onnx/write.ts';
import { Rng } from '../../sim/random.ts';
import * as M from '../helpers/onnx-models.ts';

async function goldenVsOrt(bytes: Uint8Array, inputSets: readonly Map<string, Tensor>[]): Promise<{ golden: Tensor[]; ort: Tensor[] }> {
  const model = readOnnxModel(bytes, 'test.onnx');
  const low = lowerModel(model);
  const session = await openOrtSession(bytes);
  const golden: Tensor[] = [];
  const ort: Tensor[] = [];
  for (const inputs of inputSets) {
    const env = new Map([...low.constants, ...inputs]);
    for (const l of low.layers) env.set(l.output, evalLayer(l, env));
    const out = await session.run(inputs);
    for (const o of model.outputs) {
      golden.push(env.get(o.name)!);
      ort.push(out.get(o.name)!);
    }
  }
  await session.release();
  return { golden, ort };
}

function randomSets(bytes: Uint8Array, n: number, seed: number): Map<string, Tensor>[] {
  const model = readOnnxModel(bytes, 'test.onnx');
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => randomInputs(model, rng));
}

const MODELS: readonly [string, Uint8Array][] = [
  ['QLinearMatMul uint8 x int8, 7x13x5', M.qlinearMatMulModel({ m: 7, k: 13, n: 5, a: 'uint8', b: 'int8' })],
  ['QLinearMatMul uint8 x int8, per-column scales and zero points', M.qlinearMatMulModel({ m: 7, k: 13, n: 5, a: 'uint8', b: 'int8', perColumn: true })],
  ['QLinearMatMul int8 x int8', M.qlinearMatMulModel({ m: 4, k: 9, n: 6, a: 'int8', b: 'int8' })],
  ['QLinearMatMul uint8 x uint8, per-column', M.qlinearMatMulModel({ m: 4, k: 9, n: 6, a: 'uint8', b: 'uint8', perColumn: true })],
  ['two-layer QOperator MLP with a float input', M.qoperatorMlpModel({ batch: 3, k: 20, h: 11, n: 6 })],
  ['MatMulInteger with zero points', M.matMulIntegerModel({ m: 5, k: 9, n: 7 })],
  ['QLinearConv network (pad 1; stride 2)', M.qlinearConvNetModel({ n: 2, c: 3, hw: 7, c1: 4, c2: 5 })],
  ['QDQ MLP (MatMul, Gemm with bias)', M.qdqMlpModel({ batch: 3, k: 20, h: 11, n: 6 })],
  ['QDQ Conv with Relu', M.qdqConvModel({ n: 1, c: 3, hw: 6, oc: 5 })],
  ['com.microsoft QGemm with bias, transB', M.qgemmModel({ m: 5, k: 12, n: 7 })],
];

describe('golden model = onnxruntime, bit for bit', () => {
  test.each(MODELS)('%s: 12 random input sets', async (_name, bytes) => {
    const { golden, ort } = await goldenVsOrt(bytes, randomSets(bytes, 12, 11));
    golden.forEach((g, i) => {
      expect(ort[i]!.dims).toEqual(g.dims);
      expect(firstDifference(g, ort[i]!)).toBe(-1);
    });
  });

  test('QuantizeLinear ties round to even (inputs k/256 with scale 2^-7 are exact halves)', async () => {
    const bytes = encodeOnnxModel({
      name: 'q', inputs: [{ name: 'x', dtype: 'float32', dims: [512] }], outputs: [{ name: 'y', dtype: 'int8', dims: [512] }],
      initializers: { s: tensor('float32', [], [2 ** -7]), z: tensor('int8', [], [3]) },
      nodes: [{ op: 'QuantizeLinear', name: 'q', inputs: ['x', 's', 'z'], outputs: ['y'] }],
    });
    const x = tensor('float32', [512], Array.from({ length: 512 }, (_, i) => (i - 256) / 256));
    const { golden, ort } = await goldenVsOrt(bytes, [new Map([['x', x]])]);
    expect(firstDifference(golden[0]!, ort[0]!)).toBe(-1);
    // Half of the inputs are ties; rounding them away from zero would differ from onnxruntime.
    const awayFromZero = Int8Array.from(x.data as Float32Array, (v) => Math.max(-128, Math.min(127, Math.sign(v * 128) * Math.round(Math.abs(v * 128)) + 3)));
    expect(firstDifference(tensor('int8', [512], awayFromZero), ort[0]!)).toBeGreaterThanOrEqual(0);
  });

  test('int32 -> fp32 rounding of accumulators above 2^24, and requantization ties to even (values worked out by hand)', async () => {
    // Column of B: -128 in rows 0..1027, 1 in row 1028. Multiplier 1 * 2^-17 / 1 = 2^-17, y_zero_point -100.
    // Row 0: A = -128 x 1028, then 1: acc = 1028 * 16384 + 1 = 2^24 + 2^16 + 1 (odd, above 2^24). fp32(acc) is a
    //   tie between 2^24 + 2^16 and 2^24 + 2^16 + 2 and rounds to the even significand, 2^24 + 2^16; times 2^-17
    //   that is 128.5, a tie, rne -> 128, so y = 28. Exact arithmetic would give 129.0000076 -> 129 -> 29.
    // Row 1: A = -128 x 20: acc = 20 * 16384 = 5 * 2^16 -> 2.5 exactly -> rne 2 -> y = -98 (half up: -97).
    const k = 1029;
    const bytes = encodeOnnxModel({
      name: 'edges', inputs: [{ name: 'a', dtype: 'int8', dims: [2, k] }], outputs: [{ name: 'y', dtype: 'int8', dims: [2, 1] }],
      initializers: {
        as: tensor('float32', [], [1]), az: tensor('int8', [], [0]), b: tensor('int8', [k, 1], Array.from({ length: k }, (_, t) => (t < 1028 ? -128 : 1))),
        bs: tensor('float32', [], [2 ** -17]), bz: tensor('int8', [], [0]), ys: tensor('float32', [], [1]), yz: tensor('int8', [], [-100]),
      },
      nodes: [{ op: 'QLinearMatMul', name: 'mm', inputs: ['a', 'as', 'az', 'b', 'bs', 'bz', 'ys', 'yz'], outputs: ['y'] }],
    });
    const a = tensor('int8', [2, k], Array.from({ length: 2 * k }, (_, i) => (i < 1028 ? -128 : i === 1028 ? 1 : i - k < 20 && i >= k ? -128 : 0)));
    const { golden, ort } = await goldenVsOrt(bytes, [new Map([['a', a]])]);
    expect(M.values(ort[0]!)).toEqual([28, -98]);
    expect(M.values(golden[0]!)).toEqual([28, -98]);
  });
});
