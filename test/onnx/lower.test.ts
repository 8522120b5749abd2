// Lowering: what is folded, fused and rejected, with error messages that name the node and op.
import { describe, expect, test } from 'vitest';
import { evalLayer } from '../../onnx/layer.ts';
import { lowerModel } from '../../onnx/lower.ts';
import { readOnnxModel } from '../../onnx/model.ts';
import { openOrtSession } from '../../onnx/ort.ts';
import { firstDifference } from '../../onnx/run.ts';
import { tensor } from '../../onnx/tensor.ts';
import { encodeOnnxModel, type NodeSpec } from '../../onnx/write.ts';
import { randomInputs } from '../../onnx/inputs.ts';
import { Rng } from '../../sim/random.ts';
import * as M from '../helpers/onnx-models.ts';

const lower = (bytes: Uint8Array) => lowerModel(readOnnxModel(bytes, 'm.onnx'));

/** int8 QLinearMatMul (y zero point 10) followed by `after` nodes on its quantized output. */
function withActivation(after: NodeSpec[], extra: Record<string, ReturnType<typeof tensor>> = {}): Uint8Array {
  const rng = new Rng(9);
  return encodeOnnxModel({
    name: 'act', inputs: [{ name: 'a', dtype: 'int8', dims: [6, 10] }], outputs: [{ name: 'z', dtype: 'int8', dims: [6, 4] }],
    initializers: {
      as: tensor('float32', [], [0.02]), az: tensor('int8', [], [1]), b: tensor('int8', [10, 4], M.codes(rng, 'int8', 40)),
      bs: tensor('float32', [], [0.01]), bz: tensor('int8', [], [0]), ys: tensor('float32', [], [0.03]), yz: tensor('int8', [], [10]), ...extra,
    },
    nodes: [{ op: 'QLinearMatMul', name: 'mm', inputs: ['a', 'as', 'az', 'b', 'bs', 'bz', 'ys', 'yz'], outputs: ['y'] }, ...after],
  });
}

describe('lowering', () => {
  test('an unsupported op names the node, the op and the supported ops', () => {
    expect(() => lower(M.unsupportedOpModel())).toThrow(/node 'my_softmax' \(Softmax\): op not supported; npugen runs: QuantizeLinear, .*QLinearMatMul.*com\.microsoft\.QGemm/);
  });

  test('QDQ groups lower to one layer each; the DequantizeLinear feeding only a group is dropped', () => {
    expect(lower(M.qdqMlpModel({ batch: 1, k: 4, h: 3, n: 2 })).layers.map((l) => l.op)).toEqual(['QuantizeLinear', 'QDQ MatMul', 'QDQ Gemm', 'DequantizeLinear']);
    expect(lower(M.qdqConvModel({ n: 1, c: 1, hw: 3, oc: 2 })).layers.map((l) => [l.op, l.name])).toEqual([['QuantizeLinear', 'q_in'], ['QDQ Conv', 'dq_in+conv+relu+q_y'], ['DequantizeLinear', 'dq_y']]);
  });

  test('a float MatMul outside the QDQ form, and a QDQ Relu onnxruntime does not fuse, are rejected by name', () => {
    const plain = encodeOnnxModel({
      name: 'f', inputs: [{ name: 'x', dtype: 'float32', dims: [1, 2] }], outputs: [{ name: 'y', dtype: 'float32', dims: [1, 2] }],
      initializers: { w: tensor('float32', [2, 2], [1, 2, 3, 4]) }, nodes: [{ op: 'MatMul', name: 'float_mm', inputs: ['x', 'w'], outputs: ['y'] }],
    });
    expect(() => lower(plain)).toThrow(/node 'float_mm' \(MatMul\): a float MatMul runs on npugen only in the QDQ form/);
    const conv = M.qdqConvModel({ n: 1, c: 1, hw: 3, oc: 2 });
    const m = readOnnxModel(conv, 'c.onnx');
    const y = m.initializers.get('y_z')!;
    (y.data as Uint8Array)[0] = 7;
    expect(() => lowerModel(m)).toThrow(/node 'relu' \(Relu\): Relu between Conv and QuantizeLinear is fused by onnxruntime only when the output zero point is 0/);
  });

  // onnxruntime 1.30 fails to load Relu -> Clip on int8 (its Relu/Clip fusion expects float bounds), so each alone.
  test.each([
    ['Relu', [{ op: 'Relu', name: 'relu', inputs: ['y'], outputs: ['z'] }], {}, { min: 0, max: 127 }],
    ['Clip', [{ op: 'Clip', name: 'clip', inputs: ['y', 'lo', 'hi'], outputs: ['z'] }], { lo: tensor('int8', [], [-5]), hi: tensor('int8', [], [40]) }, { min: -5, max: 40 }],
  ] as const)('integer %s after QLinearMatMul folds into the output clamp, = onnxruntime', async (op, after, extra, range) => {
    const bytes = withActivation([...after], extra);
    const low = lower(bytes);
    expect(low.layers.map((l) => [l.op, l.output])).toEqual([[`QLinearMatMul+${op}`, 'z']]);
    const layer = low.layers[0]!;
    const plan = layer.kind === 'gemm' ? layer.plan(new Map([['a', tensor('int8', [6, 10], new Array<number>(60).fill(0))]])) : undefined;
    expect(plan?.specs[0]!.output).toMatchObject({ ...range, zeroPoint: 10 });
    const model = readOnnxModel(bytes, 'm.onnx');
    const session = await openOrtSession(bytes);
    const rng = new Rng(3);
    let clamped = 0;
    for (let s = 0; s < 8; s++) {
      const inputs = randomInputs(model, rng);
      const golden = evalLayer(layer, new Map([...low.constants, ...inputs]));
      const ref = (await session.run(inputs)).get('z')!;
      expect(firstDifference(golden, ref)).toBe(-1);
      clamped += Array.from(ref.data as Int8Array).filter((v) => v === range.min || v === range.max).length;
    }
    // The activation did act: some outputs sit on the folded bounds.
    expect(clamped).toBeGreaterThan(0);
    await session.release();
  });
});
